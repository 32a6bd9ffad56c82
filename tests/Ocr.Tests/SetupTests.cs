using ECase.Application.Scanning;
using ECase.Infrastructure.Ocr;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ECase.Ocr.Tests;

public sealed class SetupTests
{
    [Fact]
    public void Engine_is_one_singleton_configured_from_the_Ocr_section()
    {
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Ocr:PoolSize"] = "3", ["Ocr:MaxPixels"] = "50000000" })
            .Build();
        using var provider = new ServiceCollection().AddECaseOcr(config).BuildServiceProvider();

        var engine = Assert.IsType<TesseractOcrEngine>(provider.GetRequiredService<IOcrEngine>());
        Assert.Same(engine, provider.GetRequiredService<IOcrEngine>());
        var options = provider.GetRequiredService<IOptions<TesseractOcrOptions>>().Value;
        Assert.Equal(3, options.PoolSize);
        Assert.Equal(50_000_000, options.MaxPixels);
        Assert.StartsWith("5.", TesseractOcrEngine.TesseractVersion);
    }

    [Fact]
    public void Missing_tessdata_folder_fails_at_construction() =>
        Assert.Throws<InvalidOperationException>(() => new TesseractOcrEngine(Options.Create(new TesseractOcrOptions { TessDataPath = "/nonexistent/tessdata" })));
}
