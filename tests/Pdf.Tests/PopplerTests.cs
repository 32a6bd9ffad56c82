using System.Globalization;
using System.IO;
using System.Text.RegularExpressions;
using ECase.Application.Scanning;

namespace ECase.Pdf.Tests;

/// <summary>pdfinfo and pdffonts (poppler-utils).</summary>
public sealed class PopplerTests(SamplePdf sample) : IClassFixture<SamplePdf>
{
    [Fact]
    public void Pdfinfo_reports_page_count_page_sizes_version_and_no_encryption()
    {
        var result = Tools.PdfInfo("-f", "1", "-l", "2", sample.Path);
        Assert.True(result.ExitCode == 0, result.All);
        Assert.Equal("", result.StdErr);
        var fields = Fields(result.StdOut);
        Assert.Equal("2", fields["Pages"]);
        Assert.Equal("no", fields["Encrypted"]);
        Assert.Equal("1.7", fields["PDF version"]);
        Assert.Equal("no", fields["JavaScript"]);
        Assert.Equal("yes", fields["Metadata Stream"]);
        Assert.Equal("595.2 x 841.92 pts (A4)", fields["Page    1 size"]);
        Assert.Equal("419.76 x 297.36 pts", fields["Page    2 size"]);
        Assert.Equal(Fixtures.Metadata.Title, fields["Title"]);
        Assert.Equal(Fixtures.Metadata.Author, fields["Author"]);
    }

    [Fact]
    public void Pdffonts_shows_every_font_embedded_with_a_unicode_map()
    {
        var result = Tools.PdfFonts(sample.Path);
        Assert.True(result.ExitCode == 0, result.All);
        Assert.Equal("", result.StdErr);
        var rows = FontRows(result.StdOut);
        Assert.NotEmpty(rows);
        foreach (var row in rows)
        {
            Assert.True(row.Emb == "yes", $"font {row.Name} is not embedded: {row.Line}");
            Assert.True(row.Uni == "yes", $"font {row.Name} has no ToUnicode map: {row.Line}");
        }
        Assert.Contains(rows, r => r.Name == "GlyphLessFont" && r.Type == "CID TrueType" && r.Encoding == "Identity-H");
    }

    [Fact]
    public void A_document_without_words_has_no_font_and_is_still_valid()
    {
        var page = Fixtures.RgbPage(1) with { Words = [], Text = "" };
        var path = Path.Combine(sample.Directory, "no-text.pdf");
        File.WriteAllBytes(path, Fixtures.Write([page]));
        var check = Tools.Qpdf("--check", path);
        Assert.True(check.ExitCode == 0, check.All);
        Assert.Empty(FontRows(Tools.PdfFonts(path).StdOut));
        Assert.Equal("", Tools.PdfToText("-raw", "-enc", "UTF-8", path, "-").StdOut.Trim('\f', '\n'));
    }

    [Fact]
    public void Page_size_follows_the_resolution_of_each_axis()
    {
        var gray = Fixtures.GrayPage(1) with { DpiX = 300, DpiY = 200 };
        var path = Path.Combine(sample.Directory, "anisotropic.pdf");
        File.WriteAllBytes(path, Fixtures.Write([gray]));
        var fields = Fields(Tools.PdfInfo(path).StdOut);
        var expected = string.Create(CultureInfo.InvariantCulture, $"{1240 * 72.0 / 300:0.###} x {1754 * 72.0 / 200:0.###} pts");
        Assert.Equal(expected, fields["Page size"]);
    }

    private static Dictionary<string, string> Fields(string output)
    {
        var fields = new Dictionary<string, string>();
        foreach (var line in output.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
                fields[line[..colon]] = line[(colon + 1)..].Trim();
        }
        return fields;
    }

    internal sealed record FontRow(string Name, string Type, string Encoding, string Emb, string Sub, string Uni, string Line);

    /// <summary>pdffonts' table: name, type, encoding, emb, sub, uni, object ID (columns separated by at least one space).</summary>
    internal static List<FontRow> FontRows(string output)
    {
        var rows = new List<FontRow>();
        foreach (var line in output.Split('\n').Skip(2).Where(l => l.Trim().Length > 0))
        {
            var m = Regex.Match(line, @"^(\S+)\s+(.+?)\s{2,}(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$");
            Assert.True(m.Success, "unexpected pdffonts line: " + line);
            rows.Add(new FontRow(m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value, m.Groups[4].Value, m.Groups[5].Value, m.Groups[6].Value, line));
        }
        return rows;
    }
}
