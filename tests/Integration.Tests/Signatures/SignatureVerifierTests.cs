using System.Security.Cryptography.X509Certificates;
using System.Text;
using ECase.Application.Signatures;
using ECase.Domain.Signatures;
using ECase.Infrastructure.Signatures;
using Microsoft.Extensions.Options;

namespace ECase.Integration.Tests.Signatures;

/// <summary>The verifier on its own, with certificates made here: every result field exactly as the evidence supports.</summary>
public sealed class SignatureVerifierTests : IDisposable
{
    private static readonly X509Certificate2 TestCa = TestPki.Ca("ECase Test CA");
    private static readonly X509Certificate2 OtherCa = TestPki.Ca("Untrusted CA");
    private static readonly X509Certificate2 Erika = TestPki.Signer(TestCa, "Erika Mustermann");
    private static readonly byte[] Document = Encoding.UTF8.GetBytes("%PDF-1.4\n% Bescheid vom 14.03.2026\n%%EOF\n");

    private readonly string _trust = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ecase-trust-{Guid.NewGuid():N}");
    private readonly CmsSignatureVerifier _verifier;

    public SignatureVerifierTests()
    {
        TestPki.Trust(_trust, TestCa);
        _verifier = new CmsSignatureVerifier(Options.Create(new SignatureOptions { TrustStore = _trust }), TimeProvider.System);
    }

    public void Dispose() => System.IO.Directory.Delete(_trust, recursive: true);

    [Fact]
    public void A_detached_signature_from_a_trusted_CA_passes_as_an_advanced_signature()
    {
        var check = Assert.Single(_verifier.VerifyCms(TestPki.Sign(Erika, Document), Document));

        Assert.Equal(SignatureFormat.CadesDetached, check.Format);
        Assert.Equal(SignatureOutcome.Passed, check.Outcome);
        Assert.Null(check.Reason);
        Assert.Equal(SignatureLevel.AdES, check.Level);
        Assert.Equal("CN=Erika Mustermann, O=Stadt Musterstadt, C=DE", check.SignerSubject);
        Assert.Equal("CN=ECase Test CA, O=ECase Test PKI, C=DE", check.Issuer);
        Assert.Equal(Erika.SerialNumber, check.SerialNumber);
        Assert.Equal(TestPki.SigningTime, check.SigningTime);
        Assert.Equal(SigningTimeSource.SignedAttribute, check.SigningTimeSource);
        Assert.Equal("SHA-256", check.DigestAlgorithm);
        Assert.Contains("ECDSA", check.SignatureAlgorithm, StringComparison.OrdinalIgnoreCase);
        Assert.True(check.CertificateValidAtSigningTime);
        Assert.True(check.ChainTrusted);
        Assert.Empty(check.QcStatements);
        Assert.Contains("revocation not checked", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_qualified_certificate_on_a_QSCD_supports_a_qualified_signature()
    {
        var qualified = TestPki.Signer(TestCa, "Max Qualifiziert", qualified: true, rsa: true);

        var check = Assert.Single(_verifier.VerifyCms(TestPki.Sign(qualified, Document), Document));

        Assert.Equal(SignatureOutcome.Passed, check.Outcome);
        Assert.Equal(SignatureLevel.QES, check.Level);
        Assert.Equal(["QcCompliance", "QcSSCD"], check.QcStatements);
        Assert.Contains("RSA", check.SignatureAlgorithm, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_qualified_certificate_from_an_untrusted_CA_is_not_claimed_as_QES()
    {
        var unqualifiedChain = TestPki.Signer(OtherCa, "Max Fremd", qualified: true);

        var check = Assert.Single(_verifier.VerifyCms(TestPki.Sign(unqualifiedChain, Document), Document));

        Assert.Equal(SignatureOutcome.Indeterminate, check.Outcome);
        Assert.Equal(SignatureLevel.None, check.Level);
    }

    [Fact]
    public void A_certificate_expired_before_the_signing_time_is_indeterminate()
    {
        var expired = TestPki.Signer(TestCa, "Erika Abgelaufen", notAfter: new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

        var check = Assert.Single(_verifier.VerifyCms(TestPki.Sign(expired, Document), Document));

        Assert.Equal(SignatureOutcome.Indeterminate, check.Outcome);
        Assert.Equal("OUT_OF_BOUNDS_NO_POE", check.Reason);
        Assert.False(check.CertificateValidAtSigningTime);
        Assert.Equal(SignatureLevel.None, check.Level);
        Assert.Equal("CN=Erika Abgelaufen, O=Stadt Musterstadt, C=DE", check.SignerSubject);
    }

    [Fact]
    public void A_signer_from_an_untrusted_CA_has_no_trusted_chain()
    {
        var stranger = TestPki.Signer(OtherCa, "Erika Fremd");

        var check = Assert.Single(_verifier.VerifyCms(TestPki.Sign(stranger, Document, ca: OtherCa), Document));

        Assert.Equal(SignatureOutcome.Indeterminate, check.Outcome);
        Assert.Equal("NO_CERTIFICATE_CHAIN_FOUND", check.Reason);
        Assert.True(check.CertificateValidAtSigningTime);
        Assert.False(check.ChainTrusted);
        Assert.Contains("UntrustedRoot", check.ChainStatus);
    }

    [Fact]
    public void A_document_changed_after_signing_fails_with_a_hash_failure()
    {
        var signature = TestPki.Sign(Erika, Document);
        var tampered = (byte[])Document.Clone();
        tampered[20] ^= 0x01;

        var check = Assert.Single(_verifier.VerifyCms(signature, tampered));

        Assert.Equal(SignatureOutcome.Failed, check.Outcome);
        Assert.Equal("HASH_FAILURE", check.Reason);
        Assert.Equal(SignatureLevel.None, check.Level);
    }

    [Fact]
    public void A_broken_signature_value_fails_cryptographically()
    {
        var signature = TestPki.Sign(Erika, Document);
        signature[^1] ^= 0x01;

        var check = Assert.Single(_verifier.VerifyCms(signature, Document));

        Assert.Equal(SignatureOutcome.Failed, check.Outcome);
        Assert.Equal("SIG_CRYPTO_FAILURE", check.Reason);
    }

    [Theory]
    [InlineData("not a signature at all")]
    [InlineData("")]
    public void Garbage_instead_of_a_signature_is_a_format_failure(string garbage)
    {
        var check = Assert.Single(_verifier.VerifyCms([0x30, 0x03, .. Encoding.UTF8.GetBytes(garbage)], Document));

        Assert.Equal(SignatureOutcome.Failed, check.Outcome);
        Assert.Equal("FORMAT_FAILURE", check.Reason);
    }

    [Fact]
    public void An_enveloped_signature_must_carry_the_document_it_is_sent_with()
    {
        var enveloped = TestPki.Sign(Erika, Document, detached: false);

        Assert.Equal(SignatureOutcome.Passed, Assert.Single(_verifier.VerifyCms(enveloped, Document)).Outcome);
        Assert.Equal(SignatureFormat.CmsEnveloped, Assert.Single(_verifier.VerifyEmbedded(enveloped, "application/pkcs7-mime")).Format);
        var other = Assert.Single(_verifier.VerifyCms(enveloped, Encoding.UTF8.GetBytes("another document")));
        Assert.Equal((SignatureOutcome.Failed, "HASH_FAILURE"), (other.Outcome, other.Reason));
    }

    [Fact]
    public void A_PAdES_signature_inside_a_PDF_passes_and_covers_the_whole_file()
    {
        var check = Assert.Single(_verifier.VerifyEmbedded(TestPki.SignedPdf(Erika), "application/pdf"));

        Assert.Equal(SignatureFormat.Pades, check.Format);
        Assert.Equal(SignatureOutcome.Passed, check.Outcome);
        Assert.True(check.CoversWholeDocument);
        Assert.Equal("CN=Erika Mustermann, O=Stadt Musterstadt, C=DE", check.SignerSubject);
    }

    [Fact]
    public void A_PDF_changed_inside_its_signed_bytes_fails()
    {
        var pdf = TestPki.SignedPdf(Erika, "Bescheid");
        var at = Encoding.Latin1.GetString(pdf).IndexOf("(Bescheid)", StringComparison.Ordinal) + 1;
        pdf[at] = (byte)'b';

        var check = Assert.Single(_verifier.VerifyEmbedded(pdf, "application/pdf"));

        Assert.Equal((SignatureOutcome.Failed, "HASH_FAILURE"), (check.Outcome, check.Reason));
    }

    [Fact]
    public void Bytes_appended_to_a_signed_PDF_are_reported()
    {
        var pdf = TestPki.SignedPdf(Erika).Concat(Encoding.Latin1.GetBytes("% nachträglich\n")).ToArray();

        var check = Assert.Single(_verifier.VerifyEmbedded(pdf, "application/pdf"));

        Assert.Equal(SignatureOutcome.Passed, check.Outcome);
        Assert.False(check.CoversWholeDocument);
        Assert.Contains("changed after this signature", check.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_PDF_without_a_signature_has_none_to_report() =>
        Assert.Empty(_verifier.VerifyEmbedded(Given.Pdf("unsigniert"), "application/pdf"));

    [Fact]
    public void A_signature_field_without_a_CMS_is_a_format_failure()
    {
        var pdf = Encoding.Latin1.GetBytes("%PDF-1.7\n5 0 obj << /Type /Sig /ByteRange [0 30 40 10] /Contents <zz> >> endobj\n%%EOF xxxxxxxxxxxxxxxxxxxxxxxxxxxx\n");

        var check = Assert.Single(_verifier.VerifyEmbedded(pdf, "application/pdf"));

        Assert.Equal((SignatureOutcome.Failed, "FORMAT_FAILURE"), (check.Outcome, check.Reason));
    }
}
