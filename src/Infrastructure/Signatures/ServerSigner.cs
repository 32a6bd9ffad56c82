using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using ECase.Application.Signatures;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ECase.Infrastructure.Signatures;

/// <summary>
/// The server's signing key from a PKCS#12 file (<c>ServerKey:CertificatePath</c>). Without one, and when allowed, a
/// self-signed ECDSA P-256 key is created there once: fine for development and tests, while production configures a key
/// issued by the authority's PKI (ADR 0013).
/// </summary>
public sealed class ServerSigner : IServerSigner
{
    private readonly Lazy<X509Certificate2> _certificate;

    public ServerSigner(IOptions<ServerKeyOptions> options, ILogger<ServerSigner> logger) =>
        _certificate = new Lazy<X509Certificate2>(() => Load(options.Value, logger));

    public X509Certificate2 Certificate => _certificate.Value;

    public byte[] SignDetached(byte[] content, DateTimeOffset at)
    {
        var cms = new SignedCms(new ContentInfo(content), detached: true);
        var signer = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, Certificate)
        {
            DigestAlgorithm = new Oid("2.16.840.1.101.3.4.2.1"),
            IncludeOption = X509IncludeOption.EndCertOnly,
        };
        signer.SignedAttributes.Add(new Pkcs9SigningTime(at.UtcDateTime));
        cms.ComputeSignature(signer, silent: true);
        return cms.Encode();
    }

    public string? VerifyDetached(byte[] content, byte[] signature)
    {
        var cms = new SignedCms(new ContentInfo(content), detached: true);
        try
        {
            cms.Decode(signature);
            if (cms.SignerInfos.Count != 1) return "the seal signature must have exactly one signer";
            var signer = cms.SignerInfos[0];
            if (signer.Certificate?.Thumbprint != Certificate.Thumbprint) return "the seal was not signed by this server's key";
            signer.CheckSignature(verifySignatureOnly: true);
            return null;
        }
        catch (CryptographicException e)
        {
            return $"the seal signature does not verify: {e.Message}";
        }
    }

    private static X509Certificate2 Load(ServerKeyOptions options, ILogger logger)
    {
        var path = System.IO.Path.GetFullPath(options.CertificatePath);
        if (!System.IO.File.Exists(path))
        {
            if (!options.CreateIfMissing)
                throw new InvalidOperationException($"ServerKey:CertificatePath '{path}' does not exist and ServerKey:CreateIfMissing is false.");
            Create(path, options.CertificatePassword);
            logger.LogWarning("Created a self-signed server signing key at {Path}; configure one from your PKI in production", path);
        }

        return X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword, X509KeyStorageFlags.EphemeralKeySet);
    }

    private static void Create(string path, string? password)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=ECase server signing key, O=ECase", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, critical: true));
        var now = DateTimeOffset.UtcNow;
        using var cert = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        System.IO.File.WriteAllBytes(temp, cert.Export(X509ContentType.Pkcs12, password));
        if (!OperatingSystem.IsWindows()) System.IO.File.SetUnixFileMode(temp, System.IO.UnixFileMode.UserRead | System.IO.UnixFileMode.UserWrite);
        try
        {
            System.IO.File.Move(temp, path, overwrite: false);
        }
        catch (System.IO.IOException) when (System.IO.File.Exists(path))
        {
            // Another node created it first: use theirs.
            System.IO.File.Delete(temp);
        }
    }
}
