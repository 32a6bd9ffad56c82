using ECase.Application.Scanning;
using ECase.Infrastructure.Ocr;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace ECase.Ocr.Tests;

[Collection(OcrCollection.Name)]
public sealed class RecognitionTests(OcrFixture fixture, ITestOutputHelper output)
{
    [Theory]
    [InlineData("dev_02.png", "dev_02.gt.txt", 300, 1.42)]  // PNG, 16 gray levels, skewed counter-clockwise
    [InlineData("dev_04.tif", "dev_04.gt.txt", 300, -1.91)] // JPEG-compressed TIFF, skewed clockwise (psm 3 drops lines without deskew)
    [InlineData("dev_08.png", "dev_08.gt.txt", 200, -1.84)] // the 200-dpi page, skewed clockwise
    public async Task Single_page_is_recognised_with_CER_below_1_percent(string image, string groundTruth, int dpi, double rotation)
    {
        Assert.Equal(1, fixture.Engine.CountPages(OcrFixture.PathOf(image)));
        var page = await fixture.Page(image);

        var cer = Cer.Of(page.Text, OcrFixture.GroundTruth(groundTruth));
        output.WriteLine($"{image}: CER {cer:P2}, confidence {page.MeanConfidence}, deskew {page.DeskewAngle}°, {page.Words.Count} words");
        Assert.True(cer < 0.01, $"CER {cer:P2}");
        Assert.Equal(1, page.Number);
        Assert.Equal((dpi, dpi), (page.DpiX, page.DpiY));
        Assert.InRange(page.DeskewAngle, rotation - 0.15, rotation + 0.15);
        Assert.InRange(page.MeanConfidence, 80, 100);
    }

    [Fact]
    public async Task Multi_page_tiff_gives_its_three_pages_in_order()
    {
        const string image = "dev_07_3p.tif";
        Assert.Equal(3, fixture.Engine.CountPages(OcrFixture.PathOf(image)));
        for (var i = 0; i < 3; i++)
        {
            var page = await fixture.Page(image, i);
            Assert.Equal(i + 1, page.Number);
            for (var gt = 1; gt <= 3; gt++)
            {
                var cer = Cer.Of(page.Text, OcrFixture.GroundTruth($"dev_07_3p.p{gt}.gt.txt"));
                if (gt == i + 1)
                {
                    output.WriteLine($"{image} page {i + 1}: CER {cer:P2}, deskew {page.DeskewAngle}°");
                    Assert.True(cer < 0.01, $"page {i + 1}: CER {cer:P2}");
                }
                else
                {
                    Assert.True(cer > 0.3, $"page {i + 1} resembles the ground truth of page {gt}");
                }
            }
        }
    }

    [Theory]
    [InlineData("dev_04.tif", 0)]
    [InlineData("dev_08.png", 0)]
    [InlineData("dev_07_3p.tif", 2)]
    public async Task Word_boxes_lie_inside_the_image_and_spell_the_text(string image, int pageIndex)
    {
        var page = await fixture.Page(image, pageIndex);
        Assert.NotEmpty(page.Words);
        Assert.Equal(Cer.Normalize(page.Text), string.Join(' ', page.Words.Select(w => w.Text)));
        Assert.Contains("\n", page.Text);

        var margin = 25 / 25.4 * page.DpiX * 0.8; // text starts 25 mm from the edges; allow for rotation
        int block = 0, line = 0;
        foreach (var w in page.Words)
        {
            Assert.True(w.Width > 0 && w.Height > 0, $"{w}");
            Assert.True(w.Left >= margin && w.Top >= margin, $"{w}");
            Assert.True(w.Left + w.Width <= page.WidthPx - margin && w.Top + w.Height <= page.HeightPx - margin, $"{w}");
            Assert.InRange(w.Confidence, 0, 100);
            Assert.True(w.Block >= block && w.Line >= line, "block and line numbers never decrease");
            (block, line) = (w.Block, w.Line);
        }
        Assert.Equal(page.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length, page.Words.Select(w => w.Line).Distinct().Count());
    }

    [Theory]
    [InlineData("dev_04.tif", 0)]
    [InlineData("dev_08.png", 0)]
    public async Task Page_image_is_a_grayscale_jpeg_of_the_stated_size(string image, int pageIndex)
    {
        var page = await fixture.Page(image, pageIndex);
        Assert.True(page.JpegImage.Length > 1000);
        Assert.Equal(new byte[] { 0xFF, 0xD8 }, page.JpegImage[..2]);

        using var pix = LeptonicaNative.pixReadMem(page.JpegImage, (nuint)page.JpegImage.Length);
        Assert.False(pix.IsInvalid, "the JPEG decodes");
        Assert.Equal(page.WidthPx, LeptonicaNative.pixGetWidth(pix));
        Assert.Equal(page.HeightPx, LeptonicaNative.pixGetHeight(pix));
        Assert.Equal(8, LeptonicaNative.pixGetDepth(pix)); // grayscale stays grayscale
        Assert.Equal(page.DpiX, LeptonicaNative.pixGetXRes(pix));
        output.WriteLine($"{image}: JPEG {page.JpegImage.Length / 1024} KiB, {page.WidthPx}x{page.HeightPx}");

        // The boxes are in the coordinates of exactly this image: every word box holds ink. (Boxes of the undeskewed page
        // would miss the words at the ends of the lines: 2° over a line of ~1900 px is more than a line height.)
        var gray = Gray8.Of(pix);
        var pageDark = gray.DarkFraction(0, 0, page.WidthPx, page.HeightPx);
        var boxDark = page.Words.Select(w => gray.DarkFraction(w.Left, w.Top, w.Width, w.Height)).ToList();
        output.WriteLine($"dark pixels: page {pageDark:P1}, word boxes mean {boxDark.Average():P1}, min {boxDark.Min():P1}");
        Assert.True(pageDark < 0.1);
        Assert.True(boxDark.Average() > 3 * pageDark);
        Assert.All(page.Words.Zip(boxDark), p => Assert.True(p.Second > 0.04, $"{p.First} holds no ink ({p.Second:P1})"));
    }

    [Fact]
    public async Task Parallel_recognition_gives_the_same_text_as_sequential()
    {
        var sequential = new[] { await fixture.Page("dev_08.png"), await fixture.Page("dev_07_3p.tif", 2) };

        using var engine = new TesseractOcrEngine(Options.Create(new TesseractOcrOptions { PoolSize = 2 }));
        var parallel = await Task.WhenAll(
            engine.RecognizeAsync(OcrFixture.PathOf("dev_08.png"), 0, "deu", CancellationToken.None),
            engine.RecognizeAsync(OcrFixture.PathOf("dev_07_3p.tif"), 2, "deu", CancellationToken.None));

        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(sequential[i].Text, parallel[i].Text);
            Assert.Equal(sequential[i].Words, parallel[i].Words);
            Assert.Equal(sequential[i].DeskewAngle, parallel[i].DeskewAngle);
        }
    }

    [Fact]
    public async Task Cancellation_stops_a_running_recognition()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(400));
        var started = System.Diagnostics.Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => fixture.Engine.RecognizeAsync(OcrFixture.PathOf("dev_08.png"), 0, "deu", cts.Token));
        output.WriteLine($"cancelled after {started.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Page_timeout_gives_recognition_timeout()
    {
        using var engine = new TesseractOcrEngine(Options.Create(new TesseractOcrOptions { PoolSize = 1, PageTimeout = TimeSpan.FromMilliseconds(1) }));
        var e = await Assert.ThrowsAsync<OcrInputException>(
            () => engine.RecognizeAsync(OcrFixture.PathOf("dev_08.png"), 0, "deu", CancellationToken.None));
        Assert.Equal("recognition-timeout", e.Code);
    }

    [Fact]
    public async Task Unknown_language_is_an_argument_error()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Engine.RecognizeAsync(OcrFixture.PathOf("dev_08.png"), 0, "xyz", CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Engine.RecognizeAsync(OcrFixture.PathOf("dev_08.png"), 0, "../deu", CancellationToken.None));
    }
}

[Collection(OcrCollection.Name)]
public sealed class InputKindTests(OcrFixture fixture, ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ecase-ocr-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>dev_08 converted by leptonica, written as PNG or TIFF (G4 for 1 bpp), with its resolution.</summary>
    private string Convert(string name, Func<PixHandle, PixHandle> convert, bool tiffG4)
    {
        var bytes = File.ReadAllBytes(OcrFixture.PathOf("dev_08.png"));
        using var gray = LeptonicaNative.pixReadMem(bytes, (nuint)bytes.Length);
        using var converted = convert(gray);
        Assert.False(converted.IsInvalid);
        LeptonicaNative.pixSetResolution(converted, 200, 200);
        var rc = tiffG4
            ? LeptonicaNative.pixWriteMemTiff(out var data, out var size, converted, LeptonicaNative.IffTiffG4)
            : LeptonicaNative.pixWriteMemPng(out data, out size, converted, 0f);
        Assert.Equal(0, rc);
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, LeptonicaNative.TakeBuffer(data, size));
        return path;
    }

    [Fact]
    public async Task Rgb_page_gives_an_rgb_jpeg()
    {
        var path = Convert("rgb.png", LeptonicaNative.pixConvertTo32, tiffG4: false);
        var page = await fixture.Engine.RecognizeAsync(path, 0, "deu", CancellationToken.None);
        var cer = Cer.Of(page.Text, OcrFixture.GroundTruth("dev_08.gt.txt"));
        output.WriteLine($"RGB: CER {cer:P2}, deskew {page.DeskewAngle}°");
        Assert.True(cer < 0.01, $"CER {cer:P2}");
        using var jpeg = LeptonicaNative.pixReadMem(page.JpegImage, (nuint)page.JpegImage.Length);
        Assert.Equal(32, LeptonicaNative.pixGetDepth(jpeg));
        Assert.Equal((page.WidthPx, page.HeightPx), (LeptonicaNative.pixGetWidth(jpeg), LeptonicaNative.pixGetHeight(jpeg)));
    }

    [Fact]
    public async Task Bilevel_g4_tiff_is_recognised_and_gives_a_gray_jpeg()
    {
        var path = Convert("bilevel.tif", p => LeptonicaNative.pixConvertTo1(p, 140), tiffG4: true);
        var page = await fixture.Engine.RecognizeAsync(path, 0, "deu", CancellationToken.None);
        var cer = Cer.Of(page.Text, OcrFixture.GroundTruth("dev_08.gt.txt"));
        output.WriteLine($"1 bpp G4: CER {cer:P2}, deskew {page.DeskewAngle}°, JPEG {page.JpegImage.Length / 1024} KiB");
        Assert.True(cer < 0.02, $"CER {cer:P2}");
        Assert.InRange(page.DeskewAngle, -1.99, -1.69);
        using var jpeg = LeptonicaNative.pixReadMem(page.JpegImage, (nuint)page.JpegImage.Length);
        Assert.Equal(8, LeptonicaNative.pixGetDepth(jpeg));
    }
}
