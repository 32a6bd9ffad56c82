using ECase.Application.Content;
using ECase.Application.Files;
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
        var connectionString = config.GetConnectionString("Marten")
            ?? throw new InvalidOperationException("ConnectionStrings:Marten is not configured.");
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

        services.AddMarten(opts =>
            {
                opts.Connection(connectionString);
                opts.DatabaseSchemaName = schema.Name;
                opts.UseSystemTextJsonForSerialization(EnumStorage.AsString);
                opts.Events.StreamIdentity = StreamIdentity.AsGuid;
                opts.AddECaseProjections();
                opts.Schema.For<Sender>();
                opts.Storage.ExtendedSchemaObjects.Add(ReferenceCounters(schema));
            })
            .UseLightweightSessions()
            .AddAsyncDaemon(DaemonMode.Solo)
            .IntegrateWithWolverine(w => w.MessageStorageSchemaName = schema.Name)
            .ApplyAllDatabaseChangesOnStartup();
        services.AddHostedService<AppendOnlyAccessLog>();
        return services;
    }

    private static Table ReferenceCounters(StoreSchema schema)
    {
        var table = new Table(new PostgresqlObjectName(schema.Name, "ecase_reference_counters", SchemaUtils.IdentifierUsage.General));
        table.AddColumn<string>("series").AsPrimaryKey();
        table.AddColumn<int>("last_number").NotNull();
        return table;
    }
}
