using ECase.Application;
using ECase.Application.Scanning;
using ECase.Infrastructure.Persistence;
using ECase.Infrastructure.Signatures;
using JasperFx;
using JasperFx.CodeGeneration;
using Wolverine.ErrorHandling;
using Microsoft.Extensions.Hosting;
using Wolverine;

namespace ECase.Infrastructure;

public static class CoreSetup
{
    /// <summary>Everything but HTTP: Marten, Wolverine handlers and the adapters. Used by the API host and the benchmarks.</summary>
    public static IHostApplicationBuilder AddECaseCore(this IHostApplicationBuilder builder)
    {
        builder.Services.AddECasePersistence(builder.Configuration);
        builder.Services.AddECaseSignaturesAndIntegrity(builder.Configuration);
        builder.UseWolverine(opts =>
        {
            opts.Discovery.IncludeAssembly(typeof(ApplicationEndpoints).Assembly);
            opts.Policies.AutoApplyTransactions();
            // A write that lost a race is decided again on the fresh stream. A client that named its version (If-Match or
            // body) fails again at once and gets its 409/412; one that did not is not punished for a job appending meanwhile.
            opts.OnException<ConcurrencyException>().RetryTimes(2);
            // Jobs (OCR, later indexing and export) survive restarts: their messages are stored with the events.
            opts.Policies.UseDurableLocalQueues();
            // As many OCR jobs at once as cores; the engine pool (one Tesseract per core) bounds the pages in flight,
            // so single-page scans still use every core and a long TIFF does not block the queue.
            opts.LocalQueueFor<RunOcr>().MaximumParallelMessages(Environment.ProcessorCount);
            opts.Durability.Mode = DurabilityMode.Solo;
            // Handler code is pre-generated into this assembly (`./ecase.sh codegen`, ADR 0015): no Roslyn at start-up or
            // on first use. A handler without pre-generated code (a new one) is still compiled at runtime.
            opts.ApplicationAssembly = typeof(CoreSetup).Assembly;
            opts.UseRuntimeCompilation();
            opts.CodeGeneration.TypeLoadMode = TypeLoadMode.Auto;
            opts.CodeGeneration.SourceCodeWritingEnabled = false;
        });
        return builder;
    }
}
