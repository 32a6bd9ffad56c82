using System.IO;
using System.Text;
using ECase.Application.Scanning;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Core;

namespace ECase.Pdf.Tests;

/// <summary>The invisible text layer: pdftotext -raw reads the words line by line; PdfPig finds each word on its box.</summary>
public sealed class TextLayerTests(SamplePdf sample) : IClassFixture<SamplePdf>
{
    [Fact]
    public void Pdftotext_raw_returns_the_words_line_by_line_per_page()
    {
        var result = Tools.PdfToText("-raw", "-enc", "UTF-8", sample.Path, "-");
        Assert.True(result.ExitCode == 0, result.All);
        var pages = result.StdOut.Split('\f');
        for (var i = 0; i < sample.Pages.Count; i++)
            Assert.Equal(Fixtures.TextOf(sample.Pages[i].Words), Normalise(pages[i]));
        Assert.All(pages.Skip(sample.Pages.Count), rest => Assert.Equal("", rest.Trim()));
    }

    [Fact]
    public void Pdftotext_finds_the_german_special_characters()
    {
        var text = Tools.PdfToText("-enc", "UTF-8", sample.Path, "-").StdOut;
        foreach (var s in new[] { "über", "Änderung", "Größe", "„Straße“", "€", "–", "Fußgängerzone", "Öffentliche", "Übergabe", "Grüßen", "„Gebäude“" })
            Assert.Contains(s, text);
    }

    [Fact]
    public void PdfPig_extracts_the_same_words_in_order_each_on_its_box_and_invisible()
    {
        using var document = PdfDocument.Open(sample.Bytes);
        Assert.Equal(sample.Pages.Count, document.NumberOfPages);
        for (var p = 0; p < sample.Pages.Count; p++)
        {
            var source = sample.Pages[p];
            var page = document.GetPage(p + 1);
            var words = page.GetWords().ToList();
            Assert.Equal(source.Words.Select(w => w.Text), words.Select(w => w.Text));
            Assert.All(page.Letters, l => Assert.Equal(TextRenderingMode.Neither, l.RenderingMode));

            double sx = source.DpiX / 72.0, sy = source.DpiY / 72.0;
            for (var i = 0; i < words.Count; i++)
            {
                var expected = source.Words[i];
                var box = words[i].BoundingBox;
                double left = box.Left * sx, right = box.Right * sx;
                double top = (page.Height - box.Top) * sy, bottom = (page.Height - box.Bottom) * sy;
                var where = $"page {p + 1} word '{expected.Text}': found x {left:0.#}..{right:0.#} y {top:0.#}..{bottom:0.#}, box x {expected.Left}..{expected.Left + expected.Width} y {expected.Top}..{expected.Top + expected.Height}";
                // horizontally the run is stretched exactly onto the box
                Assert.True(Math.Abs(left - expected.Left) <= 1 && Math.Abs(right - (expected.Left + expected.Width)) <= 1, where);
                // vertically it spans the line, which contains the word's box
                Assert.True(top <= expected.Top + 1 && bottom >= expected.Top + expected.Height - 1, where);
                Assert.True(bottom - top <= LineHeight(source, expected) + 1, where);
            }
        }
    }

    [Fact]
    public void Any_unicode_round_trips_including_characters_outside_the_bmp_and_decomposed_input()
    {
        string[] texts = ["Ärger", "naïve", "na\u0131\u0308ve", "Ωμέγα", "東京都", "𝔄𝔨𝔱𝔢", "😀", "x\u0300y", "§ 12 Abs. 3", "Œuvre"];
        var words = texts.Select((t, i) => new OcrWord(t, 20, 20 + 30 * i, 25 + 10 * t.Length, 24, 90, 1, i + 1)).ToList();
        var page = Fixtures.RgbPage(1) with { Words = words, Text = string.Join('\n', texts) };
        var path = Path.Combine(sample.Directory, "unicode.pdf");
        File.WriteAllBytes(path, Fixtures.Write([page]));
        var lines = Normalise(Tools.PdfToText("-raw", "-enc", "UTF-8", path, "-").StdOut).Split('\n');
        Assert.Equal(texts.Select(t => t.Normalize(NormalizationForm.FormC)), lines);
        using var document = PdfDocument.Open(path);
        Assert.Equal(string.Concat(texts.Select(t => t.Normalize(NormalizationForm.FormC))),
                     string.Concat(document.GetPage(1).Letters.Select(l => l.Value)));
    }

    [Fact]
    public void Unusable_words_are_left_out_and_control_characters_dropped()
    {
        OcrWord[] words =
        [
            new("Gültig", 50, 60, 60, 20, 90, 1, 1),
            new("", 120, 60, 30, 20, 90, 1, 1),
            new("   ", 160, 60, 30, 20, 90, 1, 1),
            new("leer", 200, 60, 0, 20, 90, 1, 1),
            new("flach", 240, 60, 40, 0, 90, 1, 1),
            new("Ab\u0007c\u200B", 300, 60, 40, 20, 90, 1, 1),
            new("kaputt\uD800", 360, 60, 60, 20, 90, 1, 1),
        ];
        var page = Fixtures.RgbPage(1) with { Words = words };
        var path = Path.Combine(sample.Directory, "junk.pdf");
        File.WriteAllBytes(path, Fixtures.Write([page]));
        Assert.Equal(0, Tools.Qpdf("--check", path).ExitCode);
        Assert.Equal("Gültig Abc\u200B kaputt\uFFFD", Normalise(Tools.PdfToText("-raw", "-enc", "UTF-8", path, "-").StdOut));
    }

    /// <summary>Lines trimmed, empty lines and form feeds dropped.</summary>
    internal static string Normalise(string text) =>
        string.Join('\n', text.Replace("\r", "", StringComparison.Ordinal).Split('\n', '\f').Select(l => l.Trim()).Where(l => l.Length > 0));

    private static int LineHeight(OcrPage page, OcrWord word)
    {
        var line = page.Words.Where(w => w.Block == word.Block && w.Line == word.Line).ToList();
        return line.Max(w => w.Top + w.Height) - line.Min(w => w.Top);
    }
}
