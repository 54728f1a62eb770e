using Fieldlab.Access.Audit;
using Fieldlab.Access.Store;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Access.Tests.Audit;

/// <summary>The audit log on SQLite: entries are kept as written (long details cut), and pruning removes exactly the
/// entries older than the retention.</summary>
public sealed class AuditLogTests : IAsyncLifetime
{
    private static readonly DateTime Now = new(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly CancellationToken Ct = CancellationToken.None;
    private TestStore _store = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => _store = await TestStore.SqliteAsync();

    /// <inheritdoc />
    public async Task DisposeAsync() => await _store.DisposeAsync();

    private static AuditEntry Entry(DateTime time, string action = "fault.command", string? detail = null) =>
        new() { Time = time, Actor = "docent", ActorRole = "instructor", Action = action, SiteId = "techport", RigId = "motor-1", Detail = detail, Outcome = "ok" };

    [Fact]
    public async Task WriteAsync_LongDetail_IsCutAt8000Characters()
    {
        await using (var scope = _store.Scope())
        {
            await AuditLog.WriteAsync(scope.Db, Entry(Now, detail: new string('x', 20_000)), Ct);
            await AuditLog.WriteAsync(scope.Db, Entry(Now, "short", detail: new string('y', 8000)), Ct);
        }
        await using var check = _store.Scope();
        var entries = await check.Db.Audit.AsNoTracking().OrderBy(a => a.Id).ToListAsync(Ct);
        Assert.Equal(new string('x', 8000) + "…", entries[0].Detail);
        Assert.Equal(new string('y', 8000), entries[1].Detail);
        Assert.Equal(DateTimeKind.Utc, entries[0].Time.Kind);
    }

    [Fact]
    public async Task PruneAsync_RemovesExactlyTheEntriesOlderThanTheRetention()
    {
        var random = new Random(11);
        var times = Enumerable.Range(0, 200).Select(_ => Now.AddSeconds(-random.Next(0, 60 * 86400)).AddTicks(random.Next(0, 10_000_000))).ToList();
        times.Add(Now.AddDays(-30)); // exactly at the boundary: kept
        await using (var scope = _store.Scope())
        {
            foreach (var t in times) scope.Db.Audit.Add(Entry(t));
            await scope.Db.SaveChangesAsync(Ct);
        }

        int removed;
        await using (var scope = _store.Scope()) removed = await AuditLog.PruneAsync(scope.Db, TimeSpan.FromDays(30), Now, Ct);

        var cutoff = Now.AddDays(-30);
        Assert.Equal(times.Count(t => t < cutoff), removed);
        await using var check = _store.Scope();
        var kept = await check.Db.Audit.AsNoTracking().Select(a => a.Time).ToListAsync(Ct);
        Assert.Equal(times.Where(t => t >= cutoff).Order(), kept.Order());
    }
}
