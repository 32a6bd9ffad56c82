using System.Globalization;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;
using ECase.Application.Disposal;
using ECase.Infrastructure.Pdf;
using UglyToad.PdfPig;
using Xunit.Abstractions;

namespace ECase.Pdf.Tests;

/// <summary>
/// PDF/A-2b renditions for the archive (ADR 0017): every kind passes the offline checks the scan renditions pass (qpdf,
/// PDFBox Preflight with only the PDF/A-1 part finding, fonts embedded), and the text survives text extraction.
/// </summary>
public sealed class ArchivalRenditionTests(ArchivalSamples samples, ITestOutputHelper output) : IClassFixture<ArchivalSamples>
{
    [Theory]
    [MemberData(nameof(ArchivalSamples.KindNames), MemberType = typeof(ArchivalSamples))]
    public void Each_kind_gives_a_pdfa_2b_that_passes_qpdf_preflight_and_pdffonts(string kind)
    {
        var (result, path, ms) = samples.Renditions[kind];
        output.WriteLine($"{kind}: {result.Outcome} {result.Reason} in {ms:0} ms, {new FileInfo(path).Length} bytes");
        Assert.True(result.Outcome == ArchivalOutcome.Made, $"{kind}: {result.Outcome} {result.Reason}");

        var check = Tools.Qpdf("--check", path);
        Assert.True(check.ExitCode == 0, check.All);
        Assert.Contains("No syntax or stream encoding errors found", check.StdOut);
        Assert.DoesNotContain("WARNING", check.All, StringComparison.OrdinalIgnoreCase);

        Preflight.AssertOnlyPdfA1Findings(path, output);

        var fonts = Tools.PdfFonts(path);
        Assert.True(fonts.ExitCode == 0, fonts.All);
        Assert.Equal("", fonts.StdErr);
        foreach (var row in PopplerTests.FontRows(fonts.StdOut))
            Assert.True(row.Emb == "yes", $"font {row.Name} is not embedded: {row.Line}");

        var info = Tools.PdfInfo(path);
        Assert.True(info.ExitCode == 0, info.All);
        Assert.Equal("", info.StdErr);
        Assert.Contains("Encrypted:       no", info.StdOut);
    }

    [Fact]
    public void Plain_text_keeps_its_umlauts_sharp_s_and_euro_sign_in_an_embedded_subset_of_dejavu_sans_mono()
    {
        var (result, path, _) = samples.Renditions["text"];
        Assert.Equal(ArchivalOutcome.Made, result.Outcome);
        Assert.Null(result.Reason);

        var text = Tools.PdfToText("-enc", "UTF-8", path, "-").StdOut;
        Assert.Contains("Straße ÄÖÜ €", text);
        Assert.Contains(ArchivalSamples.GermanLine, text);
        Assert.Contains("Zeile 070: Grüße aus Köln", text);
        Assert.Contains("Nach dem Seitenvorschub: Schluss.", text);
        // the long line wraps at a space: no word is cut
        Assert.Contains("umbrochen", text);
        Assert.Equal(Words(ArchivalSamples.Letter), Words(Tools.PdfToText("-layout", "-enc", "UTF-8", path, "-").StdOut));

        var fonts = PopplerTests.FontRows(Tools.PdfFonts(path).StdOut);
        var font = Assert.Single(fonts);
        Assert.Matches("^[A-Z]{6}\\+DejaVuSansMono$", font.Name);
        Assert.Equal(("CID TrueType", "Identity-H", "yes", "yes", "yes"), (font.Type, font.Encoding, font.Emb, font.Sub, font.Uni));
    }

    [Fact]
    public void Plain_text_is_laid_out_on_a4_pages_of_sixty_lines_and_a_form_feed_starts_a_page()
    {
        using var pdf = PdfDocument.Open(samples.Renditions["text"].Output);
        // 6 lines + 1 wrapped into 2 + 70 = 78 lines: pages 1 and 2; the form feed opens page 3
        Assert.Equal(3, pdf.NumberOfPages);
        foreach (var page in pdf.GetPages())
        {
            Assert.Equal(595.28, page.Width, 1);
            Assert.Equal(841.89, page.Height, 1);
        }
        Assert.Contains("Schluss.", pdf.GetPage(3).Text);
        Assert.DoesNotContain("Schluss.", pdf.GetPage(2).Text);
        var lines = pdf.GetPage(1).GetWords().Select(w => Math.Round(w.BoundingBox.Bottom, 1)).Distinct().Count();
        Assert.Equal(60 - 2, lines); // 60 lines a page, two of them empty on page 1
    }

    [Fact]
    public async Task Characters_the_font_lacks_are_drawn_as_replacement_glyph_but_extracted_as_themselves()
    {
        var input = samples.PathOf("cjk.txt");
        await File.WriteAllTextAsync(input, "Aktenvermerk 中文 Ende\n", new UTF8Encoding(false));
        var target = samples.PathOf("cjk.pdfa.pdf");
        var result = await samples.Maker.MakeAsync(input, "text/plain", "CJK", target, CancellationToken.None);
        Assert.Equal(ArchivalOutcome.Made, result.Outcome);
        Assert.Contains("U+4E2D", result.Reason);
        Assert.Contains("Aktenvermerk 中文 Ende", Tools.PdfToText("-enc", "UTF-8", target, "-").StdOut);
        Preflight.AssertOnlyPdfA1Findings(target, output);
    }

    [Fact]
    public async Task Text_that_is_not_utf8_is_read_as_windows_1252_and_says_so()
    {
        var input = samples.PathOf("legacy.txt");
        await File.WriteAllBytesAsync(input, [.. "Stra"u8, 0xDF, .. "e "u8, 0x80, .. " 5\r\n"u8]);
        var target = samples.PathOf("legacy.pdfa.pdf");
        var result = await samples.Maker.MakeAsync(input, "text/plain", "Altbestand", target, CancellationToken.None);
        Assert.Equal(ArchivalOutcome.Made, result.Outcome);
        Assert.Contains("windows-1252", result.Reason);
        Assert.Contains("Straße € 5", Tools.PdfToText("-enc", "UTF-8", target, "-").StdOut);
    }

    [Fact]
    public void Jpeg_is_embedded_unchanged_on_a_page_sized_by_its_jfif_resolution()
    {
        var original = File.ReadAllBytes(samples.PathOf("page-gray.jpg"));
        var path = samples.Renditions["jpeg-gray"].Output;
        using var pdf = PdfDocument.Open(path);
        var page = Assert.Single(pdf.GetPages());
        Assert.Equal(1240 * 72.0 / 150, page.Width, 2); // JFIF says 150 dpi: A4
        Assert.Equal(1754 * 72.0 / 150, page.Height, 2);
        var image = Assert.Single(page.GetImages());
        Assert.Equal(original, image.RawBytes.ToArray());
        Assert.Equal("", Tools.PdfToText(path, "-").StdOut.Trim('\f', '\n'));
    }

    [Fact]
    public async Task Jpeg_without_a_resolution_gets_300_dpi()
    {
        var jpeg = File.ReadAllBytes(samples.PathOf("page-rgb.jpg"));
        var i = Encoding.Latin1.GetString(jpeg).IndexOf("JFIF\0", StringComparison.Ordinal);
        jpeg[i + 7] = 0; // units: none (aspect ratio only)
        var input = samples.PathOf("no-dpi.jpg");
        await File.WriteAllBytesAsync(input, jpeg);
        var target = samples.PathOf("no-dpi.pdfa.pdf");
        Assert.Equal(ArchivalOutcome.Made, (await samples.Maker.MakeAsync(input, "image/jpeg", "ohne Auflösung", target, CancellationToken.None)).Outcome);
        using var pdf = PdfDocument.Open(target);
        Assert.Equal(583 * 72.0 / 300, pdf.GetPage(1).Width, 2);
        Assert.Equal(413 * 72.0 / 300, pdf.GetPage(1).Height, 2);
    }

    [Fact]
    public void Multi_page_tiff_gives_one_page_per_frame_and_stays_bilevel()
    {
        var path = samples.Renditions["tiff-g4"].Output;
        Assert.Equal("3 pages", samples.Renditions["tiff-g4"].Result.Reason);
        using (var pdf = PdfDocument.Open(path))
        {
            Assert.Equal(3, pdf.NumberOfPages);
            foreach (var page in pdf.GetPages())
            {
                Assert.Equal(595, page.Width, 0); // 1653 x 2339 pixels at 200 dpi (the TIFF's XResolution): A4
                Assert.Equal(842, page.Height, 0);
            }
        }
        var images = ImageList(path);
        Assert.Equal(3, images.Count);
        Assert.All(images, i => Assert.Equal(("gray", "1", "1653", "2339"), (i.Color, i.Bpc, i.Width, i.Height)));
    }

    [Fact]
    public void Png_with_alpha_becomes_opaque_rgb_and_gray_images_stay_gray()
    {
        var rgba = Assert.Single(ImageList(samples.Renditions["png-rgba"].Output));
        Assert.Equal(("rgb", "3", "8"), (rgba.Color, rgba.Components, rgba.Bpc));
        Assert.Equal("no", rgba.Interpolate);
        Assert.DoesNotContain("smask", Tools.Run("pdfimages", "poppler-utils", ["-list", samples.Renditions["png-rgba"].Output]).StdOut);
        var gray = Assert.Single(ImageList(samples.Renditions["png-gray"].Output));
        Assert.Equal(("gray", "1", "8"), (gray.Color, gray.Components, gray.Bpc));
        var tiff = Assert.Single(ImageList(samples.Renditions["tiff-gray"].Output));
        Assert.Equal(("gray", "1", "8"), (tiff.Color, tiff.Components, tiff.Bpc));
    }

    [Fact]
    public async Task Born_digital_pdf_is_converted_and_the_rendition_counts_as_archival_itself()
    {
        var (result, path, _) = samples.Renditions["pdf"];
        Assert.Equal(ArchivalOutcome.Made, result.Outcome);
        Assert.Contains("Archival rendition test page", Tools.PdfToText(path, "-").StdOut);
        Assert.Equal(3, Fields(Tools.PdfInfo(path).StdOut)["Pages"] is var pages ? int.Parse(pages, CultureInfo.InvariantCulture) : 0);
        var again = samples.PathOf("again.pdf");
        var second = await samples.Maker.MakeAsync(path, "application/pdf", "again", again, CancellationToken.None);
        Assert.Equal(ArchivalOutcome.AlreadyArchival, second.Outcome);
        Assert.False(File.Exists(again));
    }

    [Fact]
    public async Task Pdfa_original_is_already_archival_and_nothing_is_written()
    {
        var input = samples.PathOf("scan.pdf");
        await File.WriteAllBytesAsync(input, Fixtures.Write([Fixtures.RgbPage(1)]));
        var target = samples.PathOf("scan.pdfa.pdf");
        var result = await samples.Maker.MakeAsync(input, "application/pdf", "Scan", target, CancellationToken.None);
        Assert.Equal(ArchivalOutcome.AlreadyArchival, result.Outcome);
        Assert.False(File.Exists(target));
    }

    [Fact]
    public async Task Corrupt_pdf_fails_with_a_reason_and_leaves_no_output()
    {
        var input = samples.PathOf("corrupt.pdf");
        await File.WriteAllTextAsync(input, "%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R\nthis is not a PDF at all\n%%EOF\n");
        var target = samples.PathOf("corrupt.pdfa.pdf");
        var result = await samples.Maker.MakeAsync(input, "application/pdf", "kaputt", target, CancellationToken.None);
        Assert.Equal(ArchivalOutcome.Failed, result.Outcome);
        Assert.False(string.IsNullOrWhiteSpace(result.Reason));
        Assert.False(File.Exists(target));
    }

    [Fact]
    public async Task Corrupt_image_fails_with_a_reason_and_leaves_no_output()
    {
        var input = samples.PathOf("corrupt.png");
        var png = File.ReadAllBytes(samples.PathOf("page-gray.png"));
        await File.WriteAllBytesAsync(input, png[..(png.Length / 3)]);
        var target = samples.PathOf("corrupt-png.pdfa.pdf");
        var result = await samples.Maker.MakeAsync(input, "image/png", "kaputt", target, CancellationToken.None);
        Assert.Equal(ArchivalOutcome.Failed, result.Outcome);
        Assert.Contains("corrupt.png", result.Reason);
        Assert.False(File.Exists(target));
    }

    [Fact]
    public async Task Text_larger_than_the_limit_fails_and_leaves_no_output()
    {
        var input = samples.PathOf("huge.txt");
        await using (var file = File.Create(input))
            file.SetLength(ArchivalRenditions.MaxTextBytes + 1);
        var target = samples.PathOf("huge.pdfa.pdf");
        var result = await samples.Maker.MakeAsync(input, "text/plain", "groß", target, CancellationToken.None);
        Assert.Equal(ArchivalOutcome.Failed, result.Outcome);
        Assert.Contains("16777217 bytes", result.Reason);
        Assert.False(File.Exists(target));
        File.Delete(input);
    }

    [Fact]
    public async Task Office_documents_are_unsupported_and_the_reason_names_the_media_type()
    {
        var input = samples.PathOf("brief.doc");
        await File.WriteAllBytesAsync(input, [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
        Assert.False(samples.Maker.CanMake("application/msword"));
        var result = await samples.Maker.MakeAsync(input, "application/msword", "Brief", samples.PathOf("brief.pdfa.pdf"), CancellationToken.None);
        Assert.Equal(ArchivalOutcome.Unsupported, result.Outcome);
        Assert.Contains("application/msword", result.Reason);
        Assert.False(File.Exists(samples.PathOf("brief.pdfa.pdf")));
    }

    [Theory]
    [InlineData("application/pdf", true)]
    [InlineData("image/jpeg", true)]
    [InlineData("IMAGE/PNG", true)]
    [InlineData("image/tiff", true)]
    [InlineData("text/plain; charset=ISO-8859-1", true)]
    [InlineData("text/html", false)]
    [InlineData("application/vnd.openxmlformats-officedocument.wordprocessingml.document", false)]
    [InlineData("", false)]
    public void CanMake_covers_pdf_jpeg_png_tiff_and_plain_text(string mediaType, bool expected) =>
        Assert.Equal(expected, samples.Maker.CanMake(mediaType));

    [Fact]
    public async Task Equal_text_at_an_equal_time_gives_equal_bytes()
    {
        var maker = ArchivalSamples.NewMaker(new FixedClock(new DateTimeOffset(2026, 11, 29, 14, 30, 5, TimeSpan.FromHours(1))));
        var input = samples.PathOf("brief.txt");
        string a = samples.PathOf("same-a.pdf"), b = samples.PathOf("same-b.pdf");
        await maker.MakeAsync(input, "text/plain", "Brief", a, CancellationToken.None);
        await maker.MakeAsync(input, "text/plain", "Brief", b, CancellationToken.None);
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
        using var pdf = PdfDocument.Open(a);
        Assert.Equal("Brief", pdf.Information.Title);
        Assert.Equal(ArchivalRenditions.CreatorTool, pdf.Information.Creator);
        Assert.Equal("D:20261129133005+00'00'", pdf.Information.CreationDate);
    }

    [Fact]
    public void Timings_and_sizes()
    {
        foreach (var (kind, (result, path, ms)) in samples.Renditions)
            output.WriteLine($"{kind,-10} {result.Outcome,-8} {ms,7:0} ms {new FileInfo(path).Length,9} bytes ({new FileInfo(samples.PathOf(ArchivalSamples.Kinds[kind].File)).Length} bytes original)");
        Assert.All(samples.Renditions.Values, r => Assert.InRange(r.Milliseconds, 0, 60_000));
    }

    private static string Words(string text) => Regex.Replace(text.Replace('\f', ' '), @"\s+", " ").Trim();

    internal sealed record ImageRow(string Type, string Width, string Height, string Color, string Components, string Bpc, string Interpolate);

    /// <summary>pdfimages -list: page num type width height color comp bpc enc interp object ID x-ppi y-ppi size ratio.</summary>
    private static List<ImageRow> ImageList(string path)
    {
        var result = Tools.Run("pdfimages", "poppler-utils", ["-list", path]);
        Assert.True(result.ExitCode == 0, result.All);
        return result.StdOut.Split('\n').Skip(2).Where(l => l.Trim().Length > 0)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(f => new ImageRow(f[2], f[3], f[4], f[5], f[6], f[7], f[9]))
            .ToList();
    }

    private static Dictionary<string, string> Fields(string report)
    {
        var fields = new Dictionary<string, string>();
        foreach (var line in report.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
                fields[line[..colon]] = line[(colon + 1)..].Trim();
        }
        return fields;
    }
}
