using ECase.Infrastructure.Persistence;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ECase.Integration.Tests;

/// <summary>A concurrency conflict (answered 409 or retried) is not logged as an error; other database errors still are.</summary>
[Collection(ApiCollection.Name)]
public sealed class MartenLoggingTests(ECaseApp app)
{
    private sealed class Capture : ILoggerProvider, ILogger
    {
        public List<(LogLevel Level, string Category, string Message, Exception? Exception)> Entries { get; } = [];

        private string _category = "";

        public ILogger CreateLogger(string categoryName) => new Capture { _category = categoryName, Sink = this };

        private Capture? Sink { get; init; }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            (Sink ?? this).Entries.Add((logLevel, _category, formatter(state, exception), exception));

        public void Dispose()
        {
        }
    }

    [Fact]
    public void Marten_logs_through_the_conflict_aware_logger()
    {
        Assert.IsType<MartenStoreLogger>(app.Services.GetRequiredService<ILogger<IDocumentStore>>());
    }

    [Fact]
    public void A_stream_version_conflict_is_a_debug_line_and_any_other_failure_stays_an_error()
    {
        var capture = new Capture();
        using var factory = LoggerFactory.Create(b => b.AddProvider(capture).SetMinimumLevel(LogLevel.Trace));
        ILogger logger = new MartenStoreLogger(factory);

        var conflict = new PostgresException("Stream version mismatch on 'x': expected 3, actual 4", "ERROR", "ERROR", "MT003");
        logger.LogError(conflict, "Marten encountered an exception executing {SQL}", "select mt_quick_append_events(...)");
        logger.LogError(new InvalidOperationException("wrapped", conflict), "Marten encountered an exception executing {SQL}", "");
        var broken = new PostgresException("relation \"ecase.mt_doc_x\" does not exist", "ERROR", "ERROR", "42P01");
        logger.LogError(broken, "Marten encountered an exception executing {SQL}", "select 1");
        logger.LogInformation("Executed schema update SQL");

        Assert.All(capture.Entries, e => Assert.Equal("Marten.IDocumentStore", e.Category));
        Assert.Equal(
            [LogLevel.Debug, LogLevel.Debug, LogLevel.Error, LogLevel.Information],
            capture.Entries.Select(e => e.Level));
        Assert.Contains("Stream version mismatch", capture.Entries[0].Message, StringComparison.Ordinal);
        Assert.Null(capture.Entries[0].Exception);
        Assert.Same(broken, capture.Entries[2].Exception);
    }
}
