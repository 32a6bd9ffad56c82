using ECase.Application.Scanning;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ECase.Infrastructure.Ocr;

public static class OcrSetup
{
    /// <summary>
    /// The Tesseract OCR engine as a singleton (by its concrete type, and as <see cref="IOcrEngine"/>), configured from the
    /// <c>Ocr</c> section (<see cref="TesseractOcrOptions"/>). The container disposes it, which frees the native engines.
    /// </summary>
    public static IServiceCollection AddECaseOcr(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<TesseractOcrOptions>(config.GetSection(TesseractOcrOptions.Section));
        services.AddSingleton<TesseractOcrEngine>();
        services.AddSingleton<IOcrEngine>(sp => sp.GetRequiredService<TesseractOcrEngine>());
        return services;
    }
}
