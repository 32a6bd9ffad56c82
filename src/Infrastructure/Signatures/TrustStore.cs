using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ECase.Infrastructure.Signatures;

/// <summary>The trust anchors: every certificate file in a folder. Unreadable files are skipped, never trusted.</summary>
public static class TrustStore
{
    private static readonly string[] Extensions = [".cer", ".crt", ".pem", ".der"];

    public static X509Certificate2Collection Load(string folder)
    {
        var anchors = new X509Certificate2Collection();
        if (!System.IO.Directory.Exists(folder)) return anchors;
        foreach (var path in System.IO.Directory.EnumerateFiles(folder).Where(p => Extensions.Contains(System.IO.Path.GetExtension(p).ToLowerInvariant())).Order())
        {
            try
            {
                anchors.Add(X509CertificateLoader.LoadCertificateFromFile(path));
            }
            catch (CryptographicException)
            {
                // Not a certificate: not a trust anchor.
            }
        }

        return anchors;
    }
}
