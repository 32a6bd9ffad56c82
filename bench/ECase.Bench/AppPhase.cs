using ECase.Application.Cases;
using ECase.Application.Common;
using ECase.Application.Content;
using ECase.Application.FilePlans;
using ECase.Application.Files;
using ECase.Application.Security;
using ECase.Application.Submissions;
using ECase.Domain.Cases;
using ECase.Domain.Common;
using ECase.Domain.FilePlans;
using ECase.Infrastructure;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Wolverine;

namespace ECase.Bench;

/// <summary>
/// (b) The application layer without HTTP: the real handlers through <see cref="IMessageBus.InvokeAsync{T}"/> in a host
/// built like the API's core (<see cref="CoreSetup.AddECaseCore"/>), with its own fresh Marten schema and content store.
/// </summary>
public static class AppPhase
{
    public const string PlanUnitCode = "99.1";

    public static readonly CurrentUser Clerk = new("clerk-ha", "Hanna Albrecht", Roles.Clerk, "HA", Confidentiality.Restricted);
    public static readonly CurrentUser Registrar = new("registrar", "Rita Registratur", Roles.Registrar, "REG", Confidentiality.Confidential);

    public static async Task<PhaseResult> RunAsync(BenchOptions options, ErrorLog errors, CancellationToken ct)
    {
        var schema = Names.Schema("bench");
        var contentRoot = Names.TempDirectory("ecase-bench-content");
        Console.WriteLine($"[app] schema {schema}, content store {contentRoot}{(options.AppendMode is { } m ? $", EXPERIMENT: Events.AppendMode = {m}" : "")}");

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
            DisableDefaults = false,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Marten"] = options.ConnectionString,
            ["Marten:Schema"] = schema,
            ["ContentStore:Root"] = contentRoot,
            ["Search:Path"] = System.IO.Path.Combine(contentRoot, "search-index"),
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddECaseCore();
        if (options.AppendMode is { } mode) builder.Services.ConfigureMarten(o => o.Events.AppendMode = mode);

        using var trace = options.TraceSql ? new SqlTrace() : null;
        var host = builder.Build();
        try
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            await host.StartAsync(ct);
            var events = host.Services.GetRequiredService<IDocumentStore>().Options.Events;
            Console.WriteLine($"[app] host started in {started.Elapsed.TotalSeconds:0.0} s; Marten events: AppendMode={events.AppendMode}");

            var sp = host.Services;
            await using (var scope = sp.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync<CommandResult>(
                    new CreatePlanUnit(Guid.CreateVersion7(), PlanUnitCode, "Benchmark", 10, DisposalProposal.Appraise, Registrar), ct);
            }

            await using var group = options.GroupCommit ? new GroupCommitPort(sp) : null;
            if (group is not null) Console.WriteLine("[app] EXPERIMENT: group commit (bench/ECase.Bench/GroupCommitPort.cs), not the product's write path");
            var writers = Enumerable.Range(0, options.Writers)
                .Select(i => new CaseCycleWriter(i, group ?? (ICasePort)new BusPort(sp), options)).ToList();
            var result = await Driver.RunAsync("app", writers, CaseCycleWriter.Kinds, options, errors, child: null, new DbProbe(options.ConnectionString, schema, trace), ct);
            Driver.Print(result, "app_cps");
            if (group is not null) Console.WriteLine($"[app] group commit: {group.MeanBatch:0.0} commands per transaction on average");
            return result;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
            host.Dispose();
            await Sql.DropSchemaAsync(options.ConnectionString, schema);
            Names.DeleteDirectory(contentRoot);
        }
    }

    /// <summary>Each command in its own DI scope, as an HTTP request would have it.</summary>
    internal sealed class BusPort(IServiceProvider services) : ICasePort
    {
        private readonly IContentStore _store = services.GetRequiredService<IContentStore>();

        public async Task<Guid> OpenFileAsync(string title, CancellationToken ct)
        {
            await using var scope = services.CreateAsyncScope();
            var r = await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync<FileOpenedResult>(
                new OpenFile(Guid.CreateVersion7(), title, PlanUnitCode, Confidentiality.Open, Clerk.OrgUnit, Clerk), ct);
            return r.Id;
        }

        public async Task<Guid> OpenCaseAsync(Guid fileId, string title, CancellationToken ct)
        {
            await using var scope = services.CreateAsyncScope();
            var r = await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync<CommandResult>(
                new OpenCase(fileId, Guid.CreateVersion7(), title, null, Clerk), ct);
            return r.Id;
        }

        /// <summary>Stage and promote the bytes, then register, exactly like the API's demo data does.</summary>
        public async Task RegisterSubmissionAsync(Guid caseId, string subject, string fileName, byte[] document, CancellationToken ct)
        {
            var cmd = await SubmissionAsync(_store, caseId, subject, fileName, document, ct);
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync<SubmissionRegistered>(cmd, ct);
        }

        /// <summary>Stages and promotes the bytes, then builds the command that registers them.</summary>
        public static async Task<RegisterSubmission> SubmissionAsync(
            IContentStore store, Guid caseId, string subject, string fileName, byte[] document, CancellationToken ct)
        {
            var staged = await store.StageAsync(new System.IO.MemoryStream(document), long.MaxValue, ct);
            await store.PromoteAsync(staged, ct);
            NewDocument[] documents =
            [
                new(Guid.CreateVersion7(), System.IO.Path.GetFileNameWithoutExtension(fileName),
                    new ContentRef(staged.Sha256, staged.Size, "application/pdf", fileName)),
            ];
            return new RegisterSubmission(
                caseId, Guid.CreateVersion7(), SubmissionChannel.Email,
                new Sender(Guid.CreateVersion7(), "Muster GmbH", "Hauptstraße 1, 12345 Musterstadt", null),
                DateTimeOffset.UtcNow, subject, documents, null, Clerk);
        }

        public async Task CloseCaseAsync(Guid caseId, CancellationToken ct)
        {
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync<CommandResult>(new CloseCase(caseId, null, Clerk), ct);
        }
    }
}
