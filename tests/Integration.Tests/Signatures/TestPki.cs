using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace ECase.Integration.Tests.Signatures;

/// <summary>Real certificates made in the test: CAs, signer certificates (expired, qualified), and CMS/PAdES signatures with them.</summary>
public static class TestPki
{
    public static readonly DateTimeOffset SigningTime = new(2026, 3, 14, 9, 30, 0, TimeSpan.Zero);

    public static X509Certificate2 Ca(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}, O=ECase Test PKI, C=DE", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2040, 1, 1, 0, 0, 0, TimeSpan.Zero));
    }

    /// <param name="qualified">Adds QC statements: QcCompliance and QcSSCD (a qualified certificate whose key is on a QSCD).</param>
    public static X509Certificate2 Signer(
        X509Certificate2 ca, string name, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, bool qualified = false, bool rsa = false)
    {
        using var ec = rsa ? null : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var rsaKey = rsa ? RSA.Create(2048) : null;
        var subject = $"CN={name}, O=Stadt Musterstadt, C=DE";
        var request = rsa
            ? new CertificateRequest(subject, rsaKey!, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest(subject, ec!, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, true));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        if (qualified) request.CertificateExtensions.Add(new X509Extension("1.3.6.1.5.5.7.1.3", QcStatements("0.4.0.1862.1.1", "0.4.0.1862.1.4"), false));
        var serial = RandomNumberGenerator.GetBytes(8);
        serial[0] &= 0x7F;
        using var caKey = ca.GetECDsaPrivateKey()!;
        using var issued = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), notBefore ?? new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero),
            notAfter ?? new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), serial);
        return rsa ? issued.CopyWithPrivateKey(rsaKey!) : issued.CopyWithPrivateKey(ec!);
    }

    private static byte[] QcStatements(params string[] oids)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var oid in oids)
            {
                using (writer.PushSequence()) writer.WriteObjectIdentifier(oid);
            }
        }

        return writer.Encode();
    }

    /// <summary>A CMS signature with signing-time and message-digest attributes, carrying the signer and the CA certificates.</summary>
    public static byte[] Sign(X509Certificate2 signer, byte[] content, bool detached = true, DateTimeOffset? at = null, X509Certificate2? ca = null)
    {
        var cms = new SignedCms(new ContentInfo(content), detached);
        var cmsSigner = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, signer)
        {
            DigestAlgorithm = new System.Security.Cryptography.Oid("2.16.840.1.101.3.4.2.1"),
            IncludeOption = X509IncludeOption.EndCertOnly,
        };
        if (ca is not null) cmsSigner.Certificates.Add(ca);
        cmsSigner.SignedAttributes.Add(new Pkcs9SigningTime((at ?? SigningTime).UtcDateTime));
        cms.ComputeSignature(cmsSigner, silent: true);
        return cms.Encode();
    }

    public static void Trust(string folder, X509Certificate2 ca)
    {
        System.IO.Directory.CreateDirectory(folder);
        System.IO.File.WriteAllText(System.IO.Path.Combine(folder, $"{ca.Thumbprint}.pem"), ca.ExportCertificatePem());
    }

    /// <summary>
    /// A one-page PDF with a PAdES signature field: <c>/ByteRange</c> covers the whole file except the <c>/Contents</c>
    /// hex string, which holds a detached CMS over exactly those bytes (ETSI.CAdES.detached).
    /// </summary>
    public static byte[] SignedPdf(X509Certificate2 signer, string text = "Bescheid")
    {
        const int reserved = 8192;
        var body = new StringBuilder();
        var offsets = new List<int>();
        body.Append("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n");
        void Obj(string content)
        {
            offsets.Add(body.Length);
            body.Append($"{offsets.Count} 0 obj\n{content}\nendobj\n");
        }

        var stream = $"BT /F1 12 Tf 72 770 Td ({text}) Tj ET";
        Obj("<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] /SigFlags 3 >> >>");
        Obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
        Obj("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 6 0 R /Resources << /Font << /F1 7 0 R >> >> /Annots [4 0 R] >>");
        Obj("<< /Type /Annot /Subtype /Widget /FT /Sig /Rect [0 0 0 0] /V 5 0 R /T (Signatur1) /F 132 /P 3 0 R >>");
        Obj($"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [0 ########## ########## ##########] /Contents <{new string('0', reserved * 2)}> /M (D:20260314093000Z) >>");
        Obj($"<< /Length {stream.Length} >>\nstream\n{stream}\nendstream");
        Obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
        var xref = body.Length;
        body.Append($"xref\n0 {offsets.Count + 1}\n0000000000 65535 f \n");
        foreach (var o in offsets) body.Append($"{o:D10} 00000 n \n");
        body.Append($"trailer\n<< /Size {offsets.Count + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");

        var pdf = body.ToString();
        var lt = pdf.IndexOf("/Contents <", StringComparison.Ordinal) + "/Contents ".Length;
        var gt = pdf.IndexOf('>', lt) + 1;
        pdf = pdf.Replace("[0 ########## ########## ##########]", $"[0 {lt:D10} {gt:D10} {pdf.Length - gt:D10}]", StringComparison.Ordinal);
        var bytes = Encoding.Latin1.GetBytes(pdf);
        var signed = bytes[..lt].Concat(bytes[gt..]).ToArray();
        var hex = Convert.ToHexString(Sign(signer, signed)).PadRight(reserved * 2, '0');
        Encoding.ASCII.GetBytes(hex).CopyTo(bytes, lt + 1);
        return bytes;
    }
}
