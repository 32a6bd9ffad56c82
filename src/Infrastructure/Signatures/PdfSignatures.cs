using System.Formats.Asn1;
using System.Text;
using System.Text.RegularExpressions;

namespace ECase.Infrastructure.Signatures;

/// <summary>One signature field of a PDF: the CMS in /Contents and the bytes its /ByteRange covers.</summary>
public sealed record PdfSignature(byte[]? Cms, byte[] SignedBytes, bool CoversWholeDocument, string? Problem);

/// <summary>
/// Finds signature dictionaries in a PDF by their <c>/ByteRange [a b c d]</c>: the signed bytes are [a, a+b) and [c, c+d), and
/// the gap between holds <c>/Contents &lt;hex&gt;</c>. ISO 32000 requires the byte range to be written directly (not in an
/// object stream), so a scan of the raw bytes finds every signature, including those of incremental updates.
/// </summary>
public static partial class PdfSignatures
{
    public static IReadOnlyList<PdfSignature> Find(byte[] pdf)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var found = new List<PdfSignature>();
        foreach (Match m in ByteRange().Matches(text))
        {
            if (!long.TryParse(m.Groups[1].Value, out var a) || !long.TryParse(m.Groups[2].Value, out var b)
                || !long.TryParse(m.Groups[3].Value, out var c) || !long.TryParse(m.Groups[4].Value, out var d)
                || a < 0 || b < 0 || c < a + b || d < 0 || c + d > pdf.Length)
            {
                found.Add(new PdfSignature(null, [], false, "the /ByteRange lies outside the file or overlaps itself"));
                continue;
            }

            var signed = new byte[b + d];
            Array.Copy(pdf, a, signed, 0, b);
            Array.Copy(pdf, c, signed, b, d);
            var whole = a == 0 && c + d == pdf.Length;
            found.Add(ReadContents(text.AsSpan((int)(a + b), (int)(c - a - b)), out var cms) is { } problem
                ? new PdfSignature(null, signed, whole, problem)
                : new PdfSignature(cms, signed, whole, null));
        }

        return found;
    }

    private static string? ReadContents(ReadOnlySpan<char> gap, out byte[]? cms)
    {
        cms = null;
        var trimmed = gap.Trim();
        if (trimmed.Length < 2 || trimmed[0] != '<' || trimmed[^1] != '>') return "the gap in the /ByteRange is not a hex string";
        var hex = new StringBuilder(trimmed.Length);
        foreach (var ch in trimmed[1..^1])
            if (!char.IsWhiteSpace(ch)) hex.Append(ch);
        if (hex.Length % 2 == 1) hex.Append('0');
        byte[] raw;
        try
        {
            raw = Convert.FromHexString(hex.ToString());
        }
        catch (FormatException)
        {
            return "/Contents is not valid hex";
        }

        // /Contents is zero-padded to its reserved size; the CMS is the first DER value.
        try
        {
            AsnDecoder.ReadEncodedValue(raw, AsnEncodingRules.BER, out _, out _, out var consumed);
            cms = raw[..consumed];
            return null;
        }
        catch (AsnContentException)
        {
            return "/Contents holds no DER-encoded CMS";
        }
    }

    [GeneratedRegex(@"/ByteRange\s*\[\s*(\d{1,15})\s+(\d{1,15})\s+(\d{1,15})\s+(\d{1,15})\s*\]")]
    private static partial Regex ByteRange();
}
