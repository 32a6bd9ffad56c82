using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using ECase.Application.Signatures;
using ECase.Domain.Signatures;
using Microsoft.Extensions.Options;

namespace ECase.Infrastructure.Signatures;

/// <summary>
/// Verifies CMS signatures with <c>System.Security.Cryptography.Pkcs</c> (ADR 0014): message digest, signature value,
/// signing time (RFC 3161 timestamp, else the signed signing-time attribute), the signer certificate's validity at that time,
/// its chain to the trust store, and the QC statements that decide between AdES and QES. Revocation is not checked
/// (no OCSP/CRL access); the result says so.
/// </summary>
public sealed class CmsSignatureVerifier(IOptions<SignatureOptions> options, TimeProvider clock) : ISignatureVerifier
{
    private const string MessageDigestOid = "1.2.840.113549.1.9.4";
    private const string SigningTimeOid = "1.2.840.113549.1.9.5";
    private const string TimestampTokenOid = "1.2.840.113549.1.9.16.2.14";
    private const string QcStatementsOid = "1.3.6.1.5.5.7.1.3";
    private const string QcCompliance = "0.4.0.1862.1.1";
    private const string QcSscd = "0.4.0.1862.1.4";
    private const string NoRevocationCheck = "revocation not checked (no OCSP/CRL access)";

    private static readonly Dictionary<string, string> QcNames = new()
    {
        [QcCompliance] = "QcCompliance",
        ["0.4.0.1862.1.2"] = "QcLimitValue",
        ["0.4.0.1862.1.3"] = "QcRetentionPeriod",
        [QcSscd] = "QcSSCD",
        ["0.4.0.1862.1.5"] = "QcPDS",
        ["0.4.0.1862.1.6"] = "QcType",
        ["0.4.0.194121.1.1"] = "QcSemanticsId-Natural",
        ["0.4.0.194121.1.2"] = "QcSemanticsId-Legal",
    };

    private static readonly Dictionary<string, string> DigestNames = new()
    {
        ["1.3.14.3.2.26"] = "SHA-1",
        ["2.16.840.1.101.3.4.2.1"] = "SHA-256",
        ["2.16.840.1.101.3.4.2.2"] = "SHA-384",
        ["2.16.840.1.101.3.4.2.3"] = "SHA-512",
    };

    public IReadOnlyList<SignatureCheck> VerifyCms(byte[] cms, byte[] document)
    {
        var probe = new SignedCms();
        try
        {
            probe.Decode(cms);
        }
        catch (CryptographicException e)
        {
            return [SignatureCheck.Unreadable(SignatureFormat.CadesDetached, "FORMAT_FAILURE", $"not a CMS SignedData structure: {e.Message}")];
        }

        // A detached CMS decodes with empty encapsulated content (SignedCms.Detached only reflects how it was constructed).
        if (probe.ContentInfo.Content.Length > 0)
        {
            var results = Verify(probe, SignatureFormat.CmsEnveloped);
            // An enveloped signature beside a version must carry exactly that version's bytes, or it signs something else.
            return probe.ContentInfo.Content.AsSpan().SequenceEqual(document)
                ? results
                : [.. results.Select(r => r with
                {
                    Outcome = SignatureOutcome.Failed, Reason = "HASH_FAILURE", Level = SignatureLevel.None,
                    Detail = "the enveloped CMS signs other content than this document version",
                })];
        }

        return VerifyDetached(cms, document, SignatureFormat.CadesDetached);
    }

    public IReadOnlyList<SignatureCheck> VerifyEmbedded(byte[] document, string mediaType)
    {
        if (mediaType == "application/pkcs7-mime")
        {
            var cms = new SignedCms();
            try
            {
                cms.Decode(document);
            }
            catch (CryptographicException e)
            {
                return [SignatureCheck.Unreadable(SignatureFormat.CmsEnveloped, "FORMAT_FAILURE", $"not a CMS SignedData structure: {e.Message}")];
            }

            return Verify(cms, SignatureFormat.CmsEnveloped);
        }

        if (mediaType != "application/pdf") return [];
        var results = new List<SignatureCheck>();
        foreach (var sig in PdfSignatures.Find(document))
        {
            var checks = sig.Cms is null
                ? [SignatureCheck.Unreadable(SignatureFormat.Pades, "FORMAT_FAILURE", sig.Problem ?? "unreadable signature field")]
                : VerifyDetached(sig.Cms, sig.SignedBytes, SignatureFormat.Pades);
            results.AddRange(checks.Select(c => c with
            {
                CoversWholeDocument = sig.CoversWholeDocument,
                Detail = sig.CoversWholeDocument ? c.Detail : Join(c.Detail, "the PDF was changed after this signature (bytes outside its /ByteRange)"),
            }));
        }

        return results;
    }

    private IReadOnlyList<SignatureCheck> VerifyDetached(byte[] cmsBytes, byte[] content, SignatureFormat format)
    {
        var cms = new SignedCms(new ContentInfo(content), detached: true);
        try
        {
            cms.Decode(cmsBytes);
        }
        catch (CryptographicException e)
        {
            return [SignatureCheck.Unreadable(format, "FORMAT_FAILURE", $"not a CMS SignedData structure: {e.Message}")];
        }

        return Verify(cms, format);
    }

    private IReadOnlyList<SignatureCheck> Verify(SignedCms cms, SignatureFormat format)
    {
        if (cms.SignerInfos.Count == 0) return [SignatureCheck.Unreadable(format, "FORMAT_FAILURE", "the CMS has no signer")];
        var anchors = TrustStore.Load(options.Value.TrustStore);
        return [.. cms.SignerInfos.Cast<SignerInfo>().Select(s => VerifySigner(cms, s, format, anchors))];
    }

    private SignatureCheck VerifySigner(SignedCms cms, SignerInfo signer, SignatureFormat format, X509Certificate2Collection anchors)
    {
        var digestName = DigestNames.GetValueOrDefault(signer.DigestAlgorithm.Value ?? "", signer.DigestAlgorithm.FriendlyName ?? signer.DigestAlgorithm.Value ?? "");
        var signatureName = signer.SignatureAlgorithm.FriendlyName ?? signer.SignatureAlgorithm.Value;
        var cert = signer.Certificate;
        var (time, source) = SigningTime(signer);
        var result = new SignatureCheck(
            format, SignatureOutcome.Passed, null, null, cert?.Subject, cert?.Issuer, cert?.SerialNumber, cert?.Thumbprint, time, source,
            digestName, signatureName, null, null, [], cert is null ? [] : QcStatements(cert), SignatureLevel.None);

        if (DigestMismatch(cms, signer) is { } digestProblem)
            return result with { Outcome = SignatureOutcome.Failed, Reason = "HASH_FAILURE", Detail = digestProblem };
        if (cert is null)
            return result with { Outcome = SignatureOutcome.Indeterminate, Reason = "NO_SIGNING_CERTIFICATE_FOUND", Detail = "the CMS does not carry the signer's certificate" };
        try
        {
            signer.CheckSignature(verifySignatureOnly: true);
        }
        catch (CryptographicException e)
        {
            return result with { Outcome = SignatureOutcome.Failed, Reason = "SIG_CRYPTO_FAILURE", Detail = e.Message };
        }

        var at = (time ?? clock.GetUtcNow()).UtcDateTime;
        var validAtTime = cert.NotBefore.ToUniversalTime() <= at && at <= cert.NotAfter.ToUniversalTime();
        var (trusted, chainStatus) = Chain(cert, cms.Certificates, anchors, at);
        result = result with { CertificateValidAtSigningTime = validAtTime, ChainTrusted = trusted, ChainStatus = chainStatus };

        if (!validAtTime)
        {
            var expired = at > cert.NotAfter.ToUniversalTime();
            return result with
            {
                Outcome = SignatureOutcome.Indeterminate,
                Reason = expired ? "OUT_OF_BOUNDS_NO_POE" : "OUT_OF_BOUNDS_NOT_REVOKED",
                Detail = expired
                    ? $"the signer certificate expired {cert.NotAfter.ToUniversalTime():u}, before the signing time {at:u}"
                    : $"the signer certificate is valid only from {cert.NotBefore.ToUniversalTime():u}, after the signing time {at:u}",
            };
        }

        if (!trusted)
        {
            return result with
            {
                Outcome = SignatureOutcome.Indeterminate,
                Reason = "NO_CERTIFICATE_CHAIN_FOUND",
                Detail = $"the signer certificate does not chain to a trusted CA ({string.Join(", ", chainStatus)})",
            };
        }

        var qualified = result.QcStatements.Contains("QcCompliance");
        var level = qualified && result.QcStatements.Contains("QcSSCD") ? SignatureLevel.QES
            : qualified ? SignatureLevel.AdESQualifiedCertificate
            : SignatureLevel.AdES;
        return result with { Level = level, Detail = NoRevocationCheck };
    }

    /// <summary>With signed attributes, the signature covers them and the messageDigest attribute binds the content.</summary>
    private static string? DigestMismatch(SignedCms cms, SignerInfo signer)
    {
        var attribute = signer.SignedAttributes.Cast<CryptographicAttributeObject>().FirstOrDefault(a => a.Oid.Value == MessageDigestOid);
        if (attribute is null) return null;
        if (DigestNames.GetValueOrDefault(signer.DigestAlgorithm.Value ?? "") is not { } name)
            return $"unsupported digest algorithm {signer.DigestAlgorithm.Value}";
        var expected = new Pkcs9MessageDigest();
        expected.CopyFrom(attribute.Values[0]);
        var actual = name switch
        {
            "SHA-1" => SHA1.HashData(cms.ContentInfo.Content),
            "SHA-256" => SHA256.HashData(cms.ContentInfo.Content),
            "SHA-384" => SHA384.HashData(cms.ContentInfo.Content),
            _ => SHA512.HashData(cms.ContentInfo.Content),
        };
        return actual.AsSpan().SequenceEqual(expected.MessageDigest)
            ? null
            : "the signed message digest does not match the document: the document was changed after signing";
    }

    private static (DateTimeOffset?, SigningTimeSource) SigningTime(SignerInfo signer)
    {
        foreach (var attribute in signer.UnsignedAttributes.Cast<CryptographicAttributeObject>().Where(a => a.Oid.Value == TimestampTokenOid))
        {
            if (Rfc3161TimestampToken.TryDecode(attribute.Values[0].RawData, out var token, out _)
                && token.VerifySignatureForSignerInfo(signer, out _))
            {
                return (token.TokenInfo.Timestamp, SigningTimeSource.Timestamp);
            }
        }

        var signingTime = signer.SignedAttributes.Cast<CryptographicAttributeObject>().FirstOrDefault(a => a.Oid.Value == SigningTimeOid);
        if (signingTime is not null)
        {
            var value = new Pkcs9SigningTime();
            value.CopyFrom(signingTime.Values[0]);
            return (new DateTimeOffset(DateTime.SpecifyKind(value.SigningTime, DateTimeKind.Utc)), SigningTimeSource.SignedAttribute);
        }

        return (null, SigningTimeSource.None);
    }

    private static (bool Trusted, IReadOnlyList<string> Status) Chain(
        X509Certificate2 cert, X509Certificate2Collection carried, X509Certificate2Collection anchors, DateTime at)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(anchors);
        chain.ChainPolicy.ExtraStore.AddRange(carried);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = at;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        var built = chain.Build(cert);
        var status = chain.ChainStatus.Select(s => s.Status).Where(s => s != X509ChainStatusFlags.NoError).Distinct().ToList();
        // The signer's own validity at signing time is judged separately; everything else must be clean.
        var trusted = anchors.Count > 0 && (built || status.All(s => s == X509ChainStatusFlags.NotTimeValid))
            && chain.ChainElements.Count > 0 && anchors.Contains(chain.ChainElements[^1].Certificate);
        return (trusted, [.. status.Select(s => s.ToString())]);
    }

    private static IReadOnlyList<string> QcStatements(X509Certificate2 cert)
    {
        if (cert.Extensions[QcStatementsOid] is not { } ext) return [];
        var found = new List<string>();
        try
        {
            var outer = new AsnReader(ext.RawData, AsnEncodingRules.DER).ReadSequence();
            while (outer.HasData)
            {
                var statement = outer.ReadSequence();
                var oid = statement.ReadObjectIdentifier();
                found.Add(QcNames.GetValueOrDefault(oid, oid));
            }
        }
        catch (AsnContentException)
        {
            found.Add("malformed");
        }

        return found;
    }

    private static string Join(string? a, string b) => string.IsNullOrEmpty(a) ? b : $"{a}; {b}";
}
