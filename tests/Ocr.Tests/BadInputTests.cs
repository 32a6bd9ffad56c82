using ECase.Application.Scanning;
using ECase.Infrastructure.Ocr;
using Microsoft.Extensions.Options;

namespace ECase.Ocr.Tests;

[Collection(OcrCollection.Name)]
public sealed class BadInputTests(OcrFixture fixture) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ecase-ocr-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string Truncated(string fixtureName)
    {
        var bytes = File.ReadAllBytes(OcrFixture.PathOf(fixtureName));
        return Write("cut-" + fixtureName, bytes[..(bytes.Length / 2)]);
    }

    /// <summary>Both entry points refuse the file with <paramref name="code"/>.</summary>
    private async Task AssertRefused(string path, string code, int pageIndex = 0, bool countPagesToo = true)
    {
        if (countPagesToo)
            Assert.Equal(code, Assert.Throws<OcrInputException>(() => fixture.Engine.CountPages(path)).Code);
        var e = await Assert.ThrowsAsync<OcrInputException>(() => fixture.Engine.RecognizeAsync(path, pageIndex, "deu", CancellationToken.None));
        Assert.Equal(code, e.Code);
    }

    [Fact]
    public async Task Text_file_is_unreadable() =>
        await AssertRefused(Write("notes.tif", "Dies ist kein Bild, sondern eine Textdatei.\n"u8.ToArray()), "image-unreadable");

    [Fact]
    public async Task Empty_file_is_unreadable() => await AssertRefused(Write("empty.png", []), "image-unreadable");

    [Fact]
    public async Task Tiny_file_is_unreadable() => await AssertRefused(Write("tiny.png", [0x89, 0x50, 0x4E]), "image-unreadable");

    [Fact]
    public async Task Truncated_single_page_tiff_is_unreadable() => await AssertRefused(Truncated("dev_04.tif"), "image-unreadable");

    [Fact]
    public async Task Truncated_multi_page_tiff_is_unreadable_not_one_page_shorter() =>
        // Its first page is intact; libtiff alone would report a valid 1-page TIFF.
        await AssertRefused(Truncated("dev_07_3p.tif"), "image-unreadable");

    [Fact]
    public async Task Truncated_png_is_unreadable_when_decoded() =>
        // The header is intact, so only decoding finds the damage.
        await AssertRefused(Truncated("dev_08.png"), "image-unreadable", countPagesToo: false);

    [Fact]
    public async Task Pdf_is_not_accepted() =>
        await AssertRefused(Write("scan.pdf", "%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n"u8.ToArray()), "image-format-unsupported");

    [Theory]
    [InlineData("bomb.tif")]
    [InlineData("bomb.png")]
    public async Task Image_of_200_megapixels_is_refused_before_decoding(string name)
    {
        // 20000 x 10000 px, 1 bpp, all white: a few kB on disk (G4 TIFF / PNG), 200 MB as 8-bit gray.
        using var pix = LeptonicaNative.pixCreate(20000, 10000, 1);
        IntPtr data;
        nuint size;
        var rc = name.EndsWith(".tif")
            ? LeptonicaNative.pixWriteMemTiff(out data, out size, pix, LeptonicaNative.IffTiffG4)
            : LeptonicaNative.pixWriteMemPng(out data, out size, pix, 0f);
        Assert.Equal(0, rc);
        var bytes = LeptonicaNative.TakeBuffer(data, size);
        Assert.True(bytes.Length < 400_000, $"{bytes.Length} bytes");
        var path = Write(name, bytes);

        var started = System.Diagnostics.Stopwatch.StartNew();
        await AssertRefused(path, "image-too-large");
        Assert.True(started.ElapsedMilliseconds < 2000, $"{started.ElapsedMilliseconds} ms: was it decoded?");
    }

    [Fact]
    public void Pixel_limit_is_configurable()
    {
        using var engine = new TesseractOcrEngine(Options.Create(new TesseractOcrOptions { MaxPixels = 5_000_000 }));
        Assert.Equal(1, engine.CountPages(OcrFixture.PathOf("dev_08.png"))); // 1654 x 2339 = 3.9 MP
        Assert.Equal("image-too-large", Assert.Throws<OcrInputException>(() => engine.CountPages(OcrFixture.PathOf("dev_04.tif"))).Code); // 8.7 MP
    }

    [Fact]
    public void Page_limit_is_configurable()
    {
        using var engine = new TesseractOcrEngine(Options.Create(new TesseractOcrOptions { MaxPages = 2 }));
        Assert.Equal("image-too-many-pages", Assert.Throws<OcrInputException>(() => engine.CountPages(OcrFixture.PathOf("dev_07_3p.tif"))).Code);
    }

    [Theory]
    [InlineData("dev_07_3p.tif", 3)]
    [InlineData("dev_08.png", 1)]
    public async Task Page_beyond_the_last_is_out_of_range(string image, int pageIndex)
    {
        var e = await Assert.ThrowsAsync<OcrInputException>(() => fixture.Engine.RecognizeAsync(OcrFixture.PathOf(image), pageIndex, "deu", CancellationToken.None));
        Assert.Equal("page-out-of-range", e.Code);
    }

    [Fact]
    public async Task Missing_file_is_not_an_input_error() =>
        await Assert.ThrowsAsync<FileNotFoundException>(() => fixture.Engine.RecognizeAsync(Path.Combine(_dir, "missing.tif"), 0, "deu", CancellationToken.None));

    [Theory]
    [InlineData(1, 1)]
    [InlineData(40, 12)]
    public async Task Tiny_image_gives_an_empty_page(int width, int height)
    {
        using var pix = LeptonicaNative.pixCreate(width, height, 8);
        Assert.Equal(0, LeptonicaNative.pixWriteMemPng(out var data, out var size, pix, 0f));
        var path = Write($"tiny-{width}x{height}.png", LeptonicaNative.TakeBuffer(data, size));
        var page = await fixture.Engine.RecognizeAsync(path, 0, "deu", CancellationToken.None);
        Assert.Equal((width, height), (page.WidthPx, page.HeightPx));
        Assert.Empty(page.Words);
    }

    [Fact]
    public async Task Engine_still_works_after_bad_input()
    {
        await AssertRefused(Truncated("dev_07_3p.tif"), "image-unreadable");
        await AssertRefused(Truncated("dev_08.png"), "image-unreadable", countPagesToo: false);
        var again = await fixture.Engine.RecognizeAsync(OcrFixture.PathOf("dev_08.png"), 0, "deu", CancellationToken.None);
        Assert.Equal((await fixture.Page("dev_08.png")).Text, again.Text);
    }
}
