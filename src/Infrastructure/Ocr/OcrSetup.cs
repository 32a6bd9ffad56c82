using ECase.Application.Scanning;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ECase.Infrastructure.Ocr;

public static class OcrSetup
{
    /// <summary>
    /// The Tesseract OCR engine as the <see cref="IOcrEngine"/> singleton, configured from the
    /// <c>Ocr</c> section (<see cref="TesseractOcrOptions"/>). The container disposes it, which frees the native engines.
    /// </summary>
    public static IServiceCollection AddECaseOcr(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<TesseractOcrOptions>(config.GetSection(TesseractOcrOptions.Section));
        // By type, not by factory lambda: Wolverine's generated handlers may only resolve services registered by type.
        services.AddSingleton<IOcrEngine, TesseractOcrEngine>();
        return services;
    }
}
