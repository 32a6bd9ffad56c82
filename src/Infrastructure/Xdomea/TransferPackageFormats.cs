using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

[assembly: InternalsVisibleTo("ECase.Disposal.Tests")]

namespace ECase.Infrastructure.Xdomea;

/// <summary>
/// The xdomea code list Dateiformat (urn:xoev-de:xdomea:codeliste:dateiformat, version 1.0, valid since 2016-01-01; the
/// 3.x schemas reference it without listing it), the file name extension of a primary file, and its entry name.
/// </summary>
internal static partial class TransferFormats
{
    public const string CodeListVersion = "1.0";
    public const string PdfA = "044";
    public const string Pdf = "018";
    public const string Other = "100";

    /// <summary>Code (and, for 100 "Sonstiges", a name) and extension of a stored blob by its media type and original name.</summary>
    public static (string Code, string? OtherName, string Extension) Of(string mediaType, string fileName)
    {
        var ext = ExtensionOf(fileName);
        return mediaType switch
        {
            "application/pdf" => (Pdf, null, "pdf"),
            "image/png" => ("019", null, "png"),
            "image/jpeg" => ext switch { "jpeg" => ("010", null, "jpeg"), "jpe" => ("009", null, "jpe"), _ => ("011", null, "jpg") },
            "image/tiff" => ext == "tif" ? ("023", null, "tif") : ("024", null, "tiff"),
            "text/plain" => ("045", null, "txt"),
            "application/xml" or "text/xml" => ("030", null, "xml"),
            "message/rfc822" => ("006", null, "eml"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => ("035", null, "docx"),
            "application/vnd.oasis.opendocument.text" => ("015", null, "odt"),
            "application/pkcs7-mime" => (Other, "p7m - CMS signed data (RFC 5652)", "p7m"),
            _ => (Other, mediaType, ext ?? "bin"),
        };
    }

    /// <summary>Media types whose bytes are not compressed already: these entries are deflated, all others stored.</summary>
    public static bool Compressible(string mediaType) => mediaType is "text/plain" or "application/xml" or "text/xml" or "message/rfc822";

    private static string? ExtensionOf(string fileName)
    {
        var dot = fileName.LastIndexOf('.');
        if (dot < 0 || dot == fileName.Length - 1) return null;
        var ext = fileName[(dot + 1)..].ToLowerInvariant();
        return ext.Length <= 8 && ext.All(char.IsAsciiLetterOrDigit) ? ext : null;
    }

    /// <summary>
    /// <c>&lt;uuid&gt;.&lt;ext&gt;</c>: the UUID is derived from document, version and role (RFC 9562 version 8 over SHA-256),
    /// so a package built again names every primary file the same, and no name says anything about the content.
    /// </summary>
    public static string EntryName(Guid documentId, int version, string role, string extension)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"ecase-0503:{documentId:D}:{version}:{role}")), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return $"{new Guid(hash[..16], bigEndian: true):D}.{extension}";
    }

    /// <summary>"PDF/A-2b" → "2b": the Format/Version of a PDF/A rendition.</summary>
    public static string PdfAVersion(string renditionFormat) =>
        renditionFormat.StartsWith("PDF/A-", StringComparison.OrdinalIgnoreCase) ? renditionFormat[6..].ToLowerInvariant() : renditionFormat;

    [GeneratedRegex(@"pdfaid:part\s*(?:=\s*[""']|>)\s*([1-4])")]
    private static partial Regex PartPattern();

    [GeneratedRegex(@"pdfaid:conformance\s*(?:=\s*[""']|>)\s*([ABUabu])")]
    private static partial Regex ConformancePattern();

    /// <summary>
    /// Watches a PDF's bytes as they are copied: the header's version and the PDF/A identification of its XMP metadata
    /// (PDF/A keeps the metadata stream unfiltered, so the marker is plain text). A vectorised search per chunk; no extra read.
    /// </summary>
    public sealed class PdfSniffer
    {
        private const int Window = 512;
        private static readonly byte[] Marker = "pdfaid:"u8.ToArray();
        private readonly byte[] _carry = new byte[Marker.Length - 1];
        private readonly byte[] _window = new byte[Window];
        private int _carryLength;
        private int _windowLength = -1;
        private long _position;

        public string? HeaderVersion { get; private set; }

        public void Observe(ReadOnlySpan<byte> chunk)
        {
            if (_position == 0 && chunk.Length >= 8 && chunk.StartsWith("%PDF-"u8)) HeaderVersion = Encoding.ASCII.GetString(chunk[5..8]);
            _position += chunk.Length;
            if (_windowLength >= Window) return;
            if (_windowLength >= 0)
            {
                Capture(chunk);
                return;
            }

            // A marker split across two chunks: search the seam (the previous chunk's tail and this chunk's head).
            if (_carryLength > 0)
            {
                Span<byte> seam = stackalloc byte[(2 * Marker.Length) - 2];
                _carry.AsSpan(0, _carryLength).CopyTo(seam);
                var head = Math.Min(chunk.Length, Marker.Length - 1);
                chunk[..head].CopyTo(seam[_carryLength..]);
                var at = seam[..(_carryLength + head)].IndexOf(Marker);
                if (at >= 0)
                {
                    _windowLength = 0;
                    Capture(seam[at.._carryLength]);
                    Capture(chunk);
                    return;
                }
            }

            var found = chunk.IndexOf(Marker);
            if (found >= 0)
            {
                _windowLength = 0;
                Capture(chunk[found..]);
                return;
            }

            _carryLength = Math.Min(chunk.Length, _carry.Length);
            chunk[^_carryLength..].CopyTo(_carry);
        }

        private void Capture(ReadOnlySpan<byte> bytes)
        {
            var n = Math.Min(bytes.Length, Window - _windowLength);
            bytes[..n].CopyTo(_window.AsSpan(_windowLength));
            _windowLength += n;
        }

        /// <summary>"2b", "1a", "3u" … when the XMP declares PDF/A conformance; null otherwise.</summary>
        public string? PdfAVersion()
        {
            if (_windowLength <= 0) return null;
            var text = Encoding.ASCII.GetString(_window, 0, _windowLength);
            var part = PartPattern().Match(text);
            if (!part.Success) return null;
            var conformance = ConformancePattern().Match(text);
            return part.Groups[1].Value + (conformance.Success ? conformance.Groups[1].Value.ToLowerInvariant() : "");
        }
    }
}
