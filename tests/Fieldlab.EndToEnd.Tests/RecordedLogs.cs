using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Fieldlab.EndToEnd.Tests;

/// <summary>Log lines of in-process components (the most recent 500), to show in a failure message what a component
/// said while a test waited for it.</summary>
public sealed class RecordedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    /// <summary>A factory whose loggers write here (information and above).</summary>
    public ILoggerFactory Factory() => LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Information).AddProvider(this));

    /// <summary>Every recorded line, oldest first.</summary>
    public override string ToString() => string.Join('\n', _lines);

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new Line(this, categoryName);

    /// <inheritdoc />
    public void Dispose() { }

    private void Add(string line)
    {
        _lines.Enqueue(line);
        while (_lines.Count > 500) _lines.TryDequeue(out _);
    }

    private sealed class Line(RecordedLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            logs.Add($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category[(category.LastIndexOf('.') + 1)..]}: {formatter(state, exception)}{(exception is null ? "" : " " + exception.Message)}");
    }
}
