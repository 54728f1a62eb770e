using Fieldlab.Access.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fieldlab.Api.Sandboxes;

/// <summary>Deletes every sandbox whose time is up (<see cref="SandboxCleanup"/>), waking at the next expiry or every
/// <see cref="SandboxOptions.ReapInterval"/>. A failed deletion turns health red and is retried; the loop never ends silently.</summary>
public sealed partial class SandboxReaper(MetadataDbFactory store, SandboxCleanup cleanup, IOptions<SandboxOptions> options, TimeProvider time,
    ILogger<SandboxReaper> logger) : BackgroundService
{
    /// <summary>How the reaper signs the audit entries of the sandboxes it deletes.</summary>
    public const string Actor = "sandbox-reaper";

    private readonly SemaphoreSlim _poked = new(0, 1);

    /// <summary>The last failure, or null after a pass that deleted everything due.</summary>
    public string? LastError { get; private set; }

    /// <summary>Asks for a pass now (after a sandbox was opened with a short life).</summary>
    public void Poke()
    {
        try
        {
            _poked.Release();
        }
        catch (SemaphoreFullException)
        {
            // A pass is due anyway.
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait = options.Value.ReapInterval;
            try
            {
                var now = time.GetUtcNow().UtcDateTime;
                List<string> due;
                DateTime? next;
                await using (var db = store.Create())
                {
                    due = await db.Sandboxes.AsNoTracking().Where(s => s.ExpiresAt <= now).Select(s => s.SiteId).ToListAsync(stoppingToken);
                    next = await db.Sandboxes.AsNoTracking().Where(s => s.ExpiresAt > now).OrderBy(s => s.ExpiresAt).Select(s => (DateTime?)s.ExpiresAt).FirstOrDefaultAsync(stoppingToken);
                }
                foreach (var site in due) await cleanup.DeleteAsync(site, Actor, "service", stoppingToken);
                LastError = null;
                backoff = TimeSpan.FromSeconds(1);
                if (next is { } at && at - now < wait) wait = at - now + TimeSpan.FromMilliseconds(50);
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
                // Time for the next pass.
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleting expired sandboxes failed (retrying): {Error}")]
    private partial void LogFailed(string error);
}
