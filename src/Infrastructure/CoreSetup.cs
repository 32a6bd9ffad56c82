using ECase.Application;
using ECase.Infrastructure.Persistence;
using JasperFx.CodeGeneration;
using Microsoft.Extensions.Hosting;
using Wolverine;

namespace ECase.Infrastructure;

public static class CoreSetup
{
    /// <summary>Everything but HTTP: Marten, Wolverine handlers and the adapters. Used by the API host and the benchmarks.</summary>
    public static IHostApplicationBuilder AddECaseCore(this IHostApplicationBuilder builder)
    {
        builder.Services.AddECasePersistence(builder.Configuration);
        builder.UseWolverine(opts =>
        {
            opts.Discovery.IncludeAssembly(typeof(ApplicationEndpoints).Assembly);
            opts.Policies.AutoApplyTransactions();
            opts.Durability.Mode = DurabilityMode.Solo;
            opts.UseRuntimeCompilation();
            opts.CodeGeneration.TypeLoadMode = TypeLoadMode.Dynamic;
        });
        return builder;
    }
}
