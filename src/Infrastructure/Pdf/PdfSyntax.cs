using System.Globalization;
using System.Text;
using System.Xml;

namespace ECase.Infrastructure.Pdf;

/// <summary>Formatting of PDF numbers, text strings and dates, and the matching XMP forms.</summary>
internal static class PdfSyntax
{
    /// <summary>A real number with at most three decimals and no exponent (PDF has no exponent notation).</summary>
    public static string Number(double value)
    {
        if (!double.IsFinite(value))
            throw new ArgumentOutOfRangeException(nameof(value), value, "PDF numbers must be finite");
        var rounded = Math.Round(value, 3, MidpointRounding.AwayFromZero);
        if (rounded == 0)
            return "0"; // also for -0
        return rounded.ToString("0.###", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A PDF text string: a literal string when the text is printable ASCII, otherwise UTF-16BE with a byte order mark
    /// as a hexadecimal string (PDF 1.7, 7.9.2.2).
    /// </summary>
    public static string TextString(string text)
    {
        var ascii = true;
        foreach (var c in text)
        {
            if (c is < ' ' or > '~')
            {
                ascii = false;
                break;
            }
        }
        if (ascii)
        {
            var sb = new StringBuilder(text.Length + 2).Append('(');
            foreach (var c in text)
            {
                if (c is '\\' or '(' or ')')
                    sb.Append('\\');
                sb.Append(c);
            }
            return sb.Append(')').ToString();
        }
        return "<FEFF" + Convert.ToHexString(Encoding.BigEndianUnicode.GetBytes(text)) + ">";
    }

    /// <summary>PDF date (PDF 1.7, 7.9.4) with the offset as +HH'mm', to the second: D:20261129143005+01'00'.</summary>
    public static string PdfDate(DateTimeOffset value)
    {
        var offset = value.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var abs = offset.Duration();
        return string.Create(CultureInfo.InvariantCulture,
            $"D:{value:yyyyMMddHHmmss}{sign}{abs.Hours:00}'{abs.Minutes:00}'");
    }

    /// <summary>The same instant and offset as <see cref="PdfDate"/>, in XMP (ISO 8601) form: 2026-11-29T14:30:05+01:00.</summary>
    public static string XmpDate(DateTimeOffset value)
    {
        var offset = value.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var abs = offset.Duration();
        return string.Create(CultureInfo.InvariantCulture,
            $"{value:yyyy-MM-ddTHH:mm:ss}{sign}{abs.Hours:00}:{abs.Minutes:00}");
    }

    /// <summary>Truncates to whole seconds and whole minutes of offset, the precision both date forms share.</summary>
    public static DateTimeOffset ToSeconds(DateTimeOffset value)
    {
        var offset = TimeSpan.FromMinutes(Math.Truncate(value.Offset.TotalMinutes));
        var utc = value.UtcDateTime;
        utc = new DateTime(utc.Ticks - utc.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
        return new DateTimeOffset(utc).ToOffset(offset);
    }

    /// <summary>
    /// Metadata text that can appear identically in the Info dictionary and in XMP: characters XML 1.0 cannot carry are dropped,
    /// line breaks and tabs become spaces, and the text is cut to <paramref name="maxLength"/> characters (PDF strings are limited
    /// to 32767 bytes; UTF-16 doubles, hex doubles again).
    /// </summary>
    public static string CleanMetadata(string? text, int maxLength = 2000)
    {
        if (string.IsNullOrEmpty(text))
            return "";
        var sb = new StringBuilder(Math.Min(text.Length, maxLength));
        Span<char> buffer = stackalloc char[2];
        foreach (var rune in text.EnumerateRunes())
        {
            if (sb.Length >= maxLength)
                break;
            if (rune.Value is '\t' or '\n' or '\r')
            {
                sb.Append(' ');
                continue;
            }
            if (Rune.IsControl(rune))
                continue;
            var n = rune.EncodeToUtf16(buffer);
            if (n == 1 ? !XmlConvert.IsXmlChar(buffer[0]) : !XmlConvert.IsXmlSurrogatePair(buffer[1], buffer[0]))
                continue;
            if (sb.Length + n > maxLength)
                break;
            sb.Append(buffer[..n]);
        }
        return sb.ToString().Trim().Normalize(NormalizationForm.FormC);
    }
}
