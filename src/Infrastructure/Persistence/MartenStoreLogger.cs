using ECase.Application.Common;
using Marten;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ECase.Infrastructure.Persistence;

/// <summary>
/// The logger Marten's own command logger writes through (<c>ILogger&lt;IDocumentStore&gt;</c>, category
/// <c>Marten.IDocumentStore</c>), with one change: a concurrency conflict is not an error. Two writers met on one stream; the
/// loser is answered 409/412 (API) or retried (jobs), so the conflict is logged at debug level in one line instead of as
/// an error with the statement and a stack trace. Everything else passes through unchanged.
/// </summary>
public sealed class MartenStoreLogger(ILoggerFactory factory) : ILogger<IDocumentStore>
{
    private readonly ILogger _inner = factory.CreateLogger("Marten.IDocumentStore");

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => _inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => _inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (exception is not null && logLevel >= LogLevel.Warning && IsConcurrencyConflict(exception))
        {
            if (_inner.IsEnabled(LogLevel.Debug)) _inner.LogDebug("Concurrency conflict, left to the caller (409 or retry): {Message}", exception.Message);
            return;
        }

        _inner.Log(logLevel, eventId, state, exception, formatter);
    }

    /// <summary>A version conflict on a stream or document: Marten's own exceptions, or its append function's MT003.</summary>
    public static bool IsConcurrencyConflict(Exception ex) =>
        Conflicts.IsVersionConflict(ex)
        || ex is PostgresException { SqlState: "MT003" }
        || (ex.InnerException is { } inner && IsConcurrencyConflict(inner));
}
