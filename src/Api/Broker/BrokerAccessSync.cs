using Fieldlab.Access.Broker;
using Fieldlab.Access.Store;
using Microsoft.Extensions.Options;

namespace Fieldlab.Api.Broker;

/// <summary>Keeps the broker's passwd and acl files equal to what the metadata store says, now: renders the
/// <see cref="BrokerAccessPlan"/> and applies it (SIGHUP, then a probe login proves the broker read it) on start, after
/// every change made through the API (<see cref="Poke"/>), at the next moment a pilot window or truth release begins or
/// ends (so that access follows the window to the second, not only when something is edited), and every
/// <see cref="BrokerAccessOptions.ReconcileInterval"/> (changes made with the CLI). A failed apply turns health red and
/// is retried; the loop itself never ends silently.</summary>
public sealed partial class BrokerAccessSync(IOptions<BrokerAccessOptions> options, MetadataDbFactory store, BrokerAccessPlan plan, TimeProvider time,
    ILogger<BrokerAccessSync> logger) : BackgroundService
{
    private readonly SemaphoreSlim _poked = new(0, 1);
    private readonly BrokerReloader _reloader = new(options.Value, logger);

    /// <summary>The last failure, or null after a successful apply.</summary>
    public string? LastError { get; private set; }

    /// <summary>When the files last matched the store.</summary>
    public DateTimeOffset? LastApplied { get; private set; }

    /// <summary>Asks for a render now (after a change through the API).</summary>
    public void Poke()
    {
        try
        {
            _poked.Release();
        }
        catch (SemaphoreFullException)
        {
            // A render is due anyway.
        }
    }

    /// <summary>Renders and applies once, now; for requests that must not return before the broker follows.</summary>
    public async Task ApplyNowAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled) return; // someone else renders the broker's files (a test, or the operator's tooling)
        await using var db = store.Create();
        var (principals, _) = await plan.BuildAsync(db, time.GetUtcNow().UtcDateTime, cancellationToken);
        await _reloader.ApplyAsync(principals, cancellationToken);
        Poke(); // the loop plans its next wake-up (a window edge) from the store as it is now
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled) return;
        var backoff = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                await using var db = store.Create();
                var now = time.GetUtcNow().UtcDateTime;
                var (principals, next) = await plan.BuildAsync(db, now, stoppingToken);
                var outcome = await _reloader.ApplyAsync(principals, stoppingToken);
                if (outcome != BrokerReloadOutcome.Unchanged) LogApplied(outcome.ToString(), principals.Count);
                LastError = null;
                LastApplied = time.GetUtcNow();
                backoff = TimeSpan.FromSeconds(1);
                wait = options.Value.ReconcileInterval;
                // Wake at the next window edge (a moment after it, so that it has passed when the plan is built).
                if (next is { } edge && edge - now + TimeSpan.FromMilliseconds(50) < wait) wait = edge - now + TimeSpan.FromMilliseconds(50);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LastError = e.Message;
                LogFailed(e.Message);
                wait = backoff;
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
            using var timeout = new CancellationTokenSource(wait, time);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
            try
            {
                await _poked.WaitAsync(either.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // The wait ran out: render again.
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(4201, LogLevel.Information, "Broker access {Outcome}: {Count} principals.")]
    private partial void LogApplied(string outcome, int count);

    [LoggerMessage(4202, LogLevel.Error, "Broker access files not applied: {Reason}; retrying.")]
    private partial void LogFailed(string reason);
}
