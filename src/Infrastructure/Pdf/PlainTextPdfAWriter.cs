using System.IO;
using System.Text;

namespace ECase.Infrastructure.Pdf;

/// <summary>
/// Lays out plain text on A4 pages as PDF/A-2b (ADR 0017), like printing it: DejaVu Sans Mono 10 pt, 80 columns, 60 lines per
/// page, 2 cm margins. Line breaks are CR, LF, CR LF, NEL and the Unicode line and paragraph separators; tabs go to the next
/// multiple of 8 columns, a form feed starts a new page, longer lines wrap at the last space (or at column 80 when there is
/// none in the second half of the line); other control characters are left out.
/// Nothing is added to the text (no header, footer or page numbers), so text extraction gives back the text.
/// </summary>
internal static class PlainTextPdfAWriter
{
    public const double PageWidth = 595.276, PageHeight = 841.89; // A4
    public const int Columns = 80, LinesPerPage = 60;
    private const double FontSize = 10, Leading = 12, Margin = 56.693; // 2 cm
    private const int TabWidth = 8;

    /// <summary>Writes the document; returns the distinct characters the font has no glyph for (shown as U+FFFD, extracted as themselves).</summary>
    public static IReadOnlyCollection<Rune> Write(string text, DocumentMetadata metadata, Stream output)
    {
        var pdf = new PdfAComposer(output, metadata);
        var font = pdf.AddFont(DejaVu.Mono);
        foreach (var page in Pages(text))
        {
            var content = new PageContent();
            var baseline = PageHeight - Margin - FontSize;
            foreach (var line in page)
            {
                var visible = line.TrimEnd(' ');
                if (visible.Length > 0)
                    content.Text(font, FontSize, Margin, baseline, visible);
                baseline -= Leading;
            }
            pdf.AddPage(PageWidth, PageHeight, content);
        }
        pdf.Finish();
        return font.Missing;
    }

    /// <summary>The text cut into pages of at most <see cref="LinesPerPage"/> lines of at most <see cref="Columns"/> characters; at least one page.</summary>
    public static IEnumerable<List<string>> Pages(string text)
    {
        var page = new List<string>();
        foreach (var (line, newPage) in Lines(text))
        {
            if (newPage || page.Count == LinesPerPage)
            {
                yield return page;
                page = [];
            }
            if (line is not null)
                page.Add(line);
        }
        yield return page;
    }

    /// <summary>Output lines; a (null, true) item is a form feed.</summary>
    private static IEnumerable<(string? Line, bool NewPage)> Lines(string text)
    {
        var normalized = Sanitize(text).Normalize(NormalizationForm.FormC);
        var lines = normalized.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\r', '\n', '\u0085', '\u2028', '\u2029');
        if (lines.Length > 1 && lines[^1].Length == 0)
            lines = lines[..^1]; // the newline that ends the last line does not open another one
        foreach (var raw in lines)
        {
            var parts = raw.Split('\f');
            for (var p = 0; p < parts.Length; p++)
            {
                if (p > 0)
                    yield return (null, true);
                if (parts.Length > 1 && parts[p].Length == 0)
                    continue; // a form feed on its own, or at the start or end of a line, adds no empty line
                foreach (var wrapped in Wrap(ExpandTabs(parts[p])))
                    yield return (wrapped, false);
            }
        }
    }

    /// <summary>Lone surrogates become U+FFFD; control characters other than tab, line breaks and form feed are dropped.</summary>
    private static string Sanitize(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value is '\t' or '\n' or '\r' or '\f' or 0x85 || !Rune.IsControl(rune))
                sb.Append(rune.ToString());
        }
        return sb.ToString();
    }

    private static List<Rune> ExpandTabs(string line)
    {
        var runes = new List<Rune>(line.Length);
        foreach (var rune in line.EnumerateRunes())
        {
            if (rune.Value == '\t')
            {
                do
                    runes.Add(new Rune(' '));
                while (runes.Count % TabWidth != 0);
            }
            else
            {
                runes.Add(rune);
            }
        }
        return runes;
    }

    private static IEnumerable<string> Wrap(List<Rune> line)
    {
        var start = 0;
        while (line.Count - start > Columns)
        {
            var cut = start + Columns;
            var space = line.FindLastIndex(cut, Columns / 2, r => r.Value == ' ');
            var end = space > start ? space + 1 : cut; // the space stays at the end of the line it ends
            yield return Join(line, start, end);
            start = end;
        }
        yield return Join(line, start, line.Count);
    }

    private static string Join(List<Rune> runes, int start, int end)
    {
        var sb = new StringBuilder(end - start);
        for (var i = start; i < end; i++)
            sb.Append(runes[i].ToString());
        return sb.ToString();
    }
}
