using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ECase.Bench;

/// <summary>
/// The pipeline host's warnings and errors, one line each (Marten and Wolverine log multi-kilobyte stack traces), counted
/// by category and exception type so the phase can sum them up.
/// </summary>
public sealed class OcrLogProvider(string prefix) : ILoggerProvider
{
    public string Prefix { get; } = prefix;

    public ConcurrentDictionary<string, int> Counts { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(OcrLogProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var message = formatter(state, exception).ReplaceLineEndings(" ");
            var first = message.Length > 160 ? message[..160] + "…" : message;
            var error = exception is null ? "" : $" [{exception.GetType().Name}: {exception.Message.ReplaceLineEndings(" ")}]";
            if (error.Length > 200) error = error[..200] + "…]";
            owner.Counts.AddOrUpdate($"{logLevel} {category}{(exception is null ? "" : $" {exception.GetType().Name}")}", 1, (_, n) => n + 1);
            Console.WriteLine($"{owner.Prefix} log {logLevel} {category}: {first}{error}");
        }
    }
}
