using System.Security.Cryptography.X509Certificates;
using ECase.Domain.Signatures;

namespace ECase.Application.Signatures;

/// <summary>Verifies electronic signatures (CMS/CAdES, PAdES) on document bytes against the configured trust store.</summary>
public interface ISignatureVerifier
{
    /// <summary>A CMS file sent beside the document: a detached .p7s over <paramref name="document"/>, or an enveloped .p7m that must carry it.</summary>
    IReadOnlyList<SignatureCheck> VerifyCms(byte[] cms, byte[] document);

    /// <summary>Signatures inside the document itself: PAdES in a PDF, or the version is an enveloped CMS (.p7m). Empty: none found.</summary>
    IReadOnlyList<SignatureCheck> VerifyEmbedded(byte[] document, string mediaType);
}

/// <summary>The system's own signing key (from configuration): signs final sign-offs and integrity seals as detached CMS.</summary>
public interface IServerSigner
{
    X509Certificate2 Certificate { get; }

    byte[] SignDetached(byte[] content, DateTimeOffset at);

    /// <summary>Null when <paramref name="signature"/> is a valid CMS signature over <paramref name="content"/> by this key; else why not.</summary>
    string? VerifyDetached(byte[] content, byte[] signature);
}

public sealed class SignatureOptions
{
    public const string Section = "Signatures";

    /// <summary>Folder of trusted CA certificates (.cer/.crt/.pem/.der); read on every verification, so adding a CA needs no restart.</summary>
    public string TrustStore { get; set; } = ".ecase/trust";

    /// <summary>Largest signature file (.p7s/.p7m) accepted beside a document.</summary>
    public long MaxSignatureBytes { get; set; } = 4L * 1024 * 1024;

    /// <summary>Largest document version whose signatures are verified (it is held in memory while verifying).</summary>
    public long MaxDocumentBytes { get; set; } = 64L * 1024 * 1024;
}

public sealed class ServerKeyOptions
{
    public const string Section = "ServerKey";

    /// <summary>PKCS#12 file with the server's certificate and private key.</summary>
    public string CertificatePath { get; set; } = ".ecase/server-key.pfx";

    public string? CertificatePassword { get; set; }

    /// <summary>Create a self-signed key at <see cref="CertificatePath"/> when none exists (development and tests; off in production).</summary>
    public bool CreateIfMissing { get; set; } = true;
}
