using ECase.Application.Content;
using ECase.Application.Disposal;
using ECase.Application.Files;
using ECase.Application.Inspections;
using ECase.Application.Scanning;
using ECase.Application.Submissions;
using ECase.Infrastructure.Content;
using ECase.Infrastructure.Files;
using ECase.Infrastructure.Ocr;
using ECase.Infrastructure.Search;
using ECase.Projections;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Weasel.Core;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;
using Wolverine;
using Wolverine.Marten;

namespace ECase.Infrastructure.Persistence;

public static class PersistenceSetup
{
    /// <summary>Marten (events, documents, projections) on PostgreSQL, Wolverine with its Marten integration, and the adapters.</summary>
    public static IServiceCollection AddECasePersistence(this IServiceCollection services, IConfiguration config)
    {
        var connectionString = WithWritePathDefaults(config.GetConnectionString("Marten")
            ?? throw new InvalidOperationException("ConnectionStrings:Marten is not configured."));
        var schema = new StoreSchema(config["Marten:Schema"] ?? "ecase");

        services.AddSingleton(schema);
        services.AddSingleton(NpgsqlDataSource.Create(connectionString));
        services.AddSingleton(TimeProvider.System);
        services.Configure<ContentStoreOptions>(config.GetSection(ContentStoreOptions.Section));
        services.AddSingleton<IContentStore, FileSystemContentStore>();
        services.AddSingleton<IFileReferenceNumbers, PostgresFileReferenceNumbers>();
        services.Configure<ScanningOptions>(config.GetSection(ScanningOptions.Section));
        services.AddSingleton<ITextExtractor, Text.DocumentTextExtractor>();
        services.AddECaseOcr(config);
        services.AddECaseSearch(config);
        services.AddSingleton<IPdfAWriter, Pdf.SearchablePdfAWriter>();
        services.AddSingleton<IPdfAConverter, Pdf.GhostscriptPdfAConverter>();
        services.AddSingleton<IPdfRasterizer, Pdf.GhostscriptPdfAConverter>();
        services.Configure<DisposalOptions>(config.GetSection(DisposalOptions.Section));
        services.AddSingleton<IArchiveMessages, Xdomea.ArchiveMessages>();
        services.AddSingleton<IContentReferences, Xdomea.ContentReferences>();
        services.AddSingleton<ExportJobCancellations>();
        services.AddSingleton<IArchivalRenditions, Pdf.ArchivalRenditions>();
        services.AddSingleton<IDisposalCertificateWriter, Pdf.DisposalCertificateWriter>();
        services.AddSingleton<IRedactedCopies, Pdf.RedactedCopyWriter>();
        services.Configure<InspectionOptions>(config.GetSection(InspectionOptions.Section));
        services.AddSingleton<InspectionCopies>();
        var inspectionViews = new InspectionViewCache();
        services.AddSingleton(inspectionViews);
        services.AddSingleton<InspectionExpiry>();
        services.AddHostedService(sp => sp.GetRequiredService<InspectionExpiry>());
        services.AddSingleton<Xdomea.ITransferPackageBuilder, Xdomea.TransferPackageBuilder>();
        services.AddSingleton<ITransferPackages, Xdomea.TransferPackages>();

        // Marten logs through ILogger<IDocumentStore>: conflicts are answered or retried, not errors (MartenStoreLogger).
        services.AddSingleton<Microsoft.Extensions.Logging.ILogger<IDocumentStore>, MartenStoreLogger>();
        services.AddMarten(opts =>
            {
                opts.Connection(connectionString);
                opts.DatabaseSchemaName = schema.Name;
                opts.UseSystemTextJsonForSerialization(EnumStorage.AsString);
                opts.Events.StreamIdentity = StreamIdentity.AsGuid;
                opts.AddECaseProjections();
                opts.Listeners.Add(new InspectionViewInvalidation(inspectionViews));
                opts.Schema.For<Sender>();
                opts.Schema.For<ExportJob>().Index(x => x.ProcessId);
                opts.Storage.ExtendedSchemaObjects.Add(ReferenceCounters(schema));
            })
            // Identity-map sessions: a read model loaded by a command (for the access check) is the one its inline
            // projection updates on commit, without loading it a second time.
            .UseIdentitySessions()
            .AddAsyncDaemon(DaemonMode.Solo)
            .IntegrateWithWolverine(w => w.MessageStorageSchemaName = schema.Name)
            .ApplyAllDatabaseChangesOnStartup();
        services.AddHostedService<AppendOnlyAccessLog>();
        return services;
    }

    /// <summary>
    /// Npgsql settings for a server that runs the same few statements all day, unless the connection string sets them:
    /// statements used twice stay prepared on their connection (no parse and plan per command), and a connection going
    /// back to the pool is not reset with an extra statement (ECase and Marten leave no session state behind; Npgsql
    /// still rolls back an open transaction).
    /// </summary>
    public static string WithWritePathDefaults(string connectionString)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.ContainsKey("Max Auto Prepare")) builder.MaxAutoPrepare = 64;
        if (!given.ContainsKey("Auto Prepare Min Usages")) builder.AutoPrepareMinUsages = 2;
        if (!given.ContainsKey("No Reset On Close")) builder.NoResetOnClose = true;
        return builder.ConnectionString;
    }

    private static Table ReferenceCounters(StoreSchema schema)
    {
        var table = new Table(new PostgresqlObjectName(schema.Name, "ecase_reference_counters", SchemaUtils.IdentifierUsage.General));
        table.AddColumn<string>("series").AsPrimaryKey();
        table.AddColumn<int>("last_number").NotNull();
        return table;
    }
}
