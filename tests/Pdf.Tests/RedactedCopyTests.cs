using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using ECase.Application.Inspections;
using ECase.Domain.Inspections;
using ECase.Infrastructure.Pdf;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;
using Xunit.Abstractions;

namespace ECase.Pdf.Tests;

/// <summary>The citizen's redacted copy (issue #7, ADR 0019): burned in, not covered; withheld pages as placeholders.</summary>
public sealed class RedactedCopyTests(ITestOutputHelper output) : IDisposable
{
    private const string Secret = "Geheim: Max Mustermann, geb. 01.02.1980";
    private const string Public = "Bauantrag Schlossstrasse 7, Eingang 12.03.2026";

    // Boxes in points from the bottom left of an A4 page (595 x 842).
    private static readonly RedactionArea SecretBox = new(1, 60, 690, 330, 28);
    private static readonly RedactionArea RedBox = new(1, 90, 390, 220, 120);
    private static readonly RedactionArea PhoneBox = new(1, 195, 640, 100, 22);

    private readonly string _dir = Directory.CreateTempSubdirectory("ecase-redact-test-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Text_under_a_box_is_gone_from_the_copy_and_text_outside_stays()
    {
        var (input, copy, info) = await Redact();

        Assert.Equal(3, info.Pages);
        Assert.Equal(3, info.RedactedBoxes);
        Assert.Equal([2], info.WithheldPages);

        var popplerText = Tools.PdfToText("-enc", "UTF-8", copy, "-").StdOut;
        using var pdf = PdfDocument.Open(copy);
        var pigText = string.Join("\n", pdf.GetPages().Select(p => string.Join(" ", p.GetWords().Select(w => w.Text))));
        foreach (var text in new[] { popplerText, pigText })
        {
            foreach (var secret in new[] { "Geheim", "Max", "Mustermann", "1980", "01.02", "0171", "5551234", "Zweite", "Protokoll", "Anhoerung", "Randnotiz" })
                Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
            foreach (var kept in new[] { "Bauantrag", "Schlossstrasse", "12.03.2026", "Kontakt", "bitte", "Dritte", "lesbar" })
                Assert.Contains(kept, text, StringComparison.Ordinal);
        }
        Assert.Contains(Public, popplerText, StringComparison.Ordinal);
        Assert.Contains(Secret, Tools.PdfToText("-enc", "UTF-8", input, "-").StdOut, StringComparison.Ordinal); // the test has teeth
        using (var original = PdfDocument.Open(input))
            Assert.Contains(original.GetPage(1).GetWords(), w => w.Text == "Randnotiz");
    }

    [Fact]
    public async Task Pixels_under_a_box_are_black_and_the_red_drawing_is_gone()
    {
        var (input, copy, _) = await Redact();
        var before = Render(input, 1);
        Assert.True(before.Count(IsRed) > 1000, "the input shows the red drawing");

        var after = Render(copy, 1);
        Assert.Equal(0, after.Count(IsRed));
        foreach (var box in new[] { SecretBox, RedBox, PhoneBox })
            Assert.All(after.Pixels(box), p => Assert.Equal((0, 0, 0), p));
        Assert.Contains(after.Pixels(new RedactionArea(1, 60, 745, 300, 20)), p => p != (0, 0, 0)); // the public line is still drawn
    }

    [Fact]
    public async Task A_withheld_page_is_a_placeholder_stating_the_reason()
    {
        var (_, copy, _) = await Redact();
        var page2 = Tools.PdfToText("-enc", "UTF-8", "-f", "2", "-l", "2", copy, "-").StdOut;
        Assert.Contains("Seite 2 wurde zurückgehalten.", page2, StringComparison.Ordinal);
        Assert.Contains("Grund: personenbezogene Daten Dritter", page2, StringComparison.Ordinal);
        using var pdf = PdfDocument.Open(copy);
        Assert.Empty(pdf.GetPage(2).GetImages());
        Assert.Equal((595, 842), ((int)Math.Round(pdf.GetPage(2).Width), (int)Math.Round(pdf.GetPage(2).Height)));
    }

    [Fact]
    public async Task The_copy_holds_only_page_images_passes_the_checks_and_the_original_is_untouched()
    {
        var input = MakeInput();
        var hash = SHA256.HashData(await File.ReadAllBytesAsync(input));
        var (_, copy, _) = await Redact(input);

        Assert.Equal(hash, SHA256.HashData(await File.ReadAllBytesAsync(input)));
        var check = Tools.Qpdf("--check", copy);
        Assert.True(check.ExitCode == 0, check.All);
        Assert.DoesNotContain("WARNING", check.All, StringComparison.OrdinalIgnoreCase);
        Preflight.AssertOnlyPdfA1Findings(copy, output);

        var images = Tools.Run("pdfimages", "poppler-utils", ["-list", copy]).StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Equal(["1", "3"], images.Select(c => c[0]));
        Assert.All(images, c => Assert.Equal(("image", "1240", "1754"), (c[2], c[3], c[4])));
        using var pdf = PdfDocument.Open(copy);
        Assert.Empty(pdf.GetPage(1).GetAnnotations());
        Assert.Equal(RedactedCopyWriter.CreatorTool, pdf.Information.Creator);
    }

    [Fact]
    public async Task On_a_rotated_page_a_box_drawn_on_the_displayed_page_blacks_out_what_is_shown_there_and_no_text_is_kept()
    {
        var rotated = Path.Combine(_dir, "rotated.pdf");
        var qpdf = Tools.Qpdf("--rotate=+90:1", MakeInput(), rotated);
        Assert.True(qpdf.ExitCode == 0, qpdf.All);
        // The clerk draws on the page as displayed (842 x 595 points): /Rotate 90 shows user space point (x, y) at (y, 595 - x).
        static RedactionArea Displayed(RedactionArea box) => new(1, box.Y, 595 - box.X - box.Width, box.Height, box.Width);
        var before = Render(rotated, 1);
        var (_, copy, info) = await Redact(rotated, [Displayed(SecretBox), Displayed(RedBox), Displayed(PhoneBox)]);

        Assert.Equal("\f", Tools.PdfToText("-enc", "UTF-8", "-f", "1", "-l", "1", copy, "-").StdOut); // no text layer on a rotated page
        Assert.True(info.WordsRemoved > 10);
        var after = Render(copy, 1);
        Assert.Equal((842, 595), (after.Width, after.Height));
        Assert.Equal(0, after.Count(IsRed));
        Assert.True(before.Count(IsRed) > 1000); // the red drawing was there, under a box
        foreach (var box in new[] { SecretBox, RedBox, PhoneBox })
            Assert.All(after.Pixels(Displayed(box)), p => Assert.Equal((0, 0, 0), p));
    }

    [Fact]
    public async Task A_redaction_on_a_page_the_document_lacks_is_rejected_and_writes_nothing()
    {
        var input = MakeInput();
        var copy = Path.Combine(_dir, "copy.pdf");
        await Assert.ThrowsAsync<ArgumentException>(() => Writer().WriteAsync(
            input, [new Redaction(new RedactionArea(4, 0, 0, 10, 10), false, RedactionReason.Other)], "Kopie", copy, CancellationToken.None));
        Assert.False(File.Exists(copy));
        await Assert.ThrowsAsync<ArgumentException>(() => Writer().WriteAsync(input, [], "Kopie", input, CancellationToken.None));
    }

    private async Task<(string Input, string Copy, RedactedCopyInfo Info)> Redact(string? input = null, IReadOnlyList<RedactionArea>? boxes = null)
    {
        input ??= MakeInput();
        var copy = Path.Combine(_dir, "copy.pdf");
        var watch = Stopwatch.StartNew();
        boxes ??= [SecretBox, RedBox, PhoneBox];
        var info = await Writer().WriteAsync(input,
        [
            .. boxes.Select(b => new Redaction(b, false, RedactionReason.ThirdPartyPersonalData)),
            new Redaction(new RedactionArea(2, 0, 0, 0, 0), true, RedactionReason.ThirdPartyPersonalData),
        ], "Bauakte – Kopie zur Akteneinsicht", copy, CancellationToken.None);
        output.WriteLine($"{info.Pages} pages in {watch.ElapsedMilliseconds} ms ({watch.ElapsedMilliseconds / info.Pages} ms a page), {new FileInfo(copy).Length} bytes");
        return (input, copy, info);
    }

    private static RedactedCopyWriter Writer() => new(TimeProvider.System);

    /// <summary>Three A4 pages in Helvetica: page 1 with the secret, a phone number between public words, a red drawing and a photo; page 2 to withhold.</summary>
    private string MakeInput()
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        var one = builder.AddPage(PageSize.A4);
        one.AddText(Public, 12, new PdfPoint(72, 750), font);
        one.AddText(Secret, 12, new PdfPoint(72, 700), font);
        one.AddText("Kontakt", 12, new PdfPoint(72, 650), font);
        one.AddText("0171-5551234", 12, new PdfPoint(200, 650), font);
        one.AddText("bitte", 12, new PdfPoint(350, 650), font);
        one.AddText("Randnotiz", 12, new PdfPoint(-300, 600), font); // off the page: nobody saw it to redact it
        one.SetTextAndFillColor(220, 0, 0);
        one.DrawRectangle(new PdfPoint(100, 400), 200, 100, 1, fill: true);
        one.ResetColor();
        one.AddJpeg(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "page-rgb.jpg")), new PdfRectangle(350, 100, 550, 300));
        var two = builder.AddPage(PageSize.A4);
        two.AddText("Zweite Seite: Protokoll der Anhoerung", 12, new PdfPoint(72, 750), font);
        var three = builder.AddPage(PageSize.A4);
        three.AddText("Dritte Seite bleibt lesbar", 12, new PdfPoint(72, 750), font);
        var path = Path.Combine(_dir, "input.pdf");
        File.WriteAllBytes(path, builder.Build());
        return path;
    }

    private static bool IsRed((byte R, byte G, byte B) p) => p.R > 150 && p.G < 80 && p.B < 80;

    private Raster Render(string pdf, int page)
    {
        var prefix = Path.Combine(_dir, "render-" + Path.GetFileNameWithoutExtension(pdf));
        var result = Tools.Run("pdftoppm", "poppler-utils", ["-r", "72", "-f", $"{page}", "-l", $"{page}", "-singlefile", pdf, prefix]);
        Assert.True(result.ExitCode == 0, result.All);
        return Raster.Read(prefix + ".ppm");
    }

    /// <summary>A P6 PPM from pdftoppm at 72 dpi: one pixel a point.</summary>
    private sealed record Raster(int Width, int Height, byte[] Data, int Offset)
    {
        public static Raster Read(string path)
        {
            var data = File.ReadAllBytes(path);
            var header = Encoding.ASCII.GetString(data, 0, 64).Split((char[])['\n', ' '], 5);
            var offset = Encoding.ASCII.GetByteCount(string.Join('\n', header[..4])) + 1;
            return new Raster(int.Parse(header[1], CultureInfo.InvariantCulture), int.Parse(header[2], CultureInfo.InvariantCulture), data, offset);
        }

        public (byte R, byte G, byte B) At(int x, int y) => (Data[Offset + 3 * (y * Width + x)], Data[Offset + 3 * (y * Width + x) + 1], Data[Offset + 3 * (y * Width + x) + 2]);

        public int Count(Func<(byte R, byte G, byte B), bool> predicate)
        {
            var n = 0;
            for (var y = 0; y < Height; y++)
                for (var x = 0; x < Width; x++)
                    n += predicate(At(x, y)) ? 1 : 0;
            return n;
        }

        /// <summary>The pixels inside the box, one pixel in from its edges.</summary>
        public IEnumerable<(byte R, byte G, byte B)> Pixels(RedactionArea box)
        {
            for (var y = Height - (int)(box.Y + box.Height) + 1; y < Height - (int)box.Y - 1; y++)
                for (var x = (int)box.X + 1; x < (int)(box.X + box.Width) - 1; x++)
                    yield return At(x, y);
        }
    }
}
