using System.Net;
using System.Text;
using System.Text.Json;
using Fieldlab.Access.Accounts;
using Fieldlab.Access.Rights;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Fieldlab.Api.Tests.Access;

/// <summary>The whole rights matrix as a test, generated from docs/access.md: every endpoint × every kind of caller ×
/// own and other site, rig and pilot → the status the table implies; and for every data answer, exactly the markers
/// the caller may see (no leak across pilots, windows or sites). Run once per metadata-store provider.</summary>
public abstract class RightsMatrixTests(AccessFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public void EveryEndpointOfTheApi_HasARowInTheTable_AndEveryRowAnEndpointAndAnExample()
    {
        var documented = DocumentedRights.Load();
        var served = fixture.Api.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => (Key: $"{m} {Normalise(e.RoutePattern.RawText)}", Endpoint: e)))
            .ToList();
        var rows = documented.Endpoints.ToDictionary(e => e.Key);
        var missing = served.Where(s => !rows.ContainsKey(s.Key)).Select(s => s.Key).Distinct().ToList();
        Assert.True(missing.Count == 0, "Endpoints without a row in docs/access.md: " + string.Join(", ", missing));
        var stale = rows.Keys.Where(k => served.All(s => s.Key != k)).ToList();
        Assert.True(stale.Count == 0, "Rows of docs/access.md without an endpoint: " + string.Join(", ", stale));
        foreach (var (key, endpoint) in served)
        {
            var declared = endpoint.Metadata.GetMetadata<Fieldlab.Api.Access.RequiredRight>();
            Assert.True(declared is not null, $"{key} declares no right");
            Assert.Equal(rows[key].Right, declared!.Right);
        }
        var noExample = rows.Keys.Where(k => !EndpointExamples.All.ContainsKey(k)).ToList();
        Assert.True(noExample.Count == 0, "Rows without an example request in EndpointExamples: " + string.Join(", ", noExample));
        // The API enforces the table it was built with: the same as the file.
        foreach (var right in documented.Rights.Rights)
            foreach (var (_, role) in RightsTable.Columns) Assert.Equal(documented.Rights.ScopeOf(right, role), RightsTable.Current.ScopeOf(right, role));
    }

    [Fact]
    public async Task EveryCell_AnswersWhatTheTableSays_AndNoDataLeaks()
    {
        var documented = DocumentedRights.Load();
        var callers = await CallersAsync();
        var cells = new List<string>();
        var grid = new Dictionary<(string Endpoint, string Caller), SortedDictionary<int, int>>();
        var failures = new List<string>();
        int leaksChecked = 0;
        foreach (var endpoint in documented.Endpoints)
        {
            var example = EndpointExamples.All[endpoint.Key];
            foreach (var target in example.Targets)
            {
                foreach (var caller in callers)
                {
                    using var client = caller.Token is null ? fixture.Api.Anonymous() : fixture.Api.Client(caller.Token);
                    int expected = MatrixExpectation.StatusOf(documented.Rights, endpoint, caller, target, example.Success);
                    using var request = await example.Build(new EndpointExamples.Cell(fixture, caller, target, client));
                    using var response = await client.SendAsync(request);
                    var body = await response.Content.ReadAsByteArrayAsync();
                    int status = (int)response.StatusCode;
                    cells.Add($"| {endpoint.Key} | {target} | {caller} | {expected} | {status} |");
                    var seen = grid.TryGetValue((endpoint.Key, caller.Name), out var g) ? g : grid[(endpoint.Key, caller.Name)] = [];
                    seen[status] = seen.GetValueOrDefault(status) + 1;
                    if (status != expected)
                    {
                        failures.Add($"{endpoint.Key} on {target} as {caller}: expected {expected}, got {status}: {Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 300)))}");
                        continue;
                    }
                    if (status == 200 && LeakCheck(endpoint, caller, target, body) is { } leak) failures.Add(leak);
                    if (status == 200 && target is RigTarget or SiteTarget) leaksChecked++;
                }
            }
        }
        output.WriteLine($"{fixture.Provider}: {cells.Count} cells, {failures.Count} failures, {leaksChecked} answers checked for leaks");
        if (Environment.GetEnvironmentVariable("FIELDLAB_MATRIX_REPORT") is { Length: > 0 } report)
        {
            // Every cell, and the same folded into endpoint × caller (statuses over the targets, with their counts).
            await File.WriteAllLinesAsync($"{report}.{fixture.Provider}.cells.md", ["| endpoint | target | caller | expected | got |", "| --- | --- | --- | --- | --- |", .. cells]);
            var names = callers.Select(c => c.Name).ToList();
            var lines = new List<string>
            {
                $"{cells.Count} cells on {fixture.Provider}, {failures.Count} answered otherwise than the table says, {leaksChecked} data answers checked marker by marker.",
                "",
                "| endpoint | " + string.Join(" | ", names) + " |",
                "| --- |" + string.Concat(names.Select(_ => " --- |")),
            };
            foreach (var e in documented.Endpoints)
                lines.Add($"| `{e.Key}` | " + string.Join(" | ", names.Select(n => grid.TryGetValue((e.Key, n), out var g) ? string.Join(" ", g.Select(kv => kv.Value == 1 ? $"{kv.Key}" : $"{kv.Key}×{kv.Value}")) : "")) + " |");
            await File.WriteAllLinesAsync($"{report}.{fixture.Provider}.md", lines);
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {cells.Count} cells wrong:\n" + string.Join("\n", failures.Take(60)));
    }


    // What a 200 holds must be exactly what the caller may see.
    private static string? LeakCheck(DocumentedEndpoint endpoint, MatrixCaller caller, MatrixTarget target, byte[] body)
    {
        if (endpoint.Method != "GET") return null;
        var person = caller.Person == "oidc" ? "student" : caller.Person!;
        string Describe(IEnumerable<int> got, IEnumerable<int>? want) => $"{endpoint.Key} on {target} as {caller}: got markers [{string.Join(",", got)}], may see [{string.Join(",", want ?? [])}]";
        switch (endpoint.Route)
        {
            case "/api/sites/{site}/rigs" when target is SiteTarget site:
            {
                var listed = JsonDocument.Parse(body).RootElement.EnumerateArray().Select(r => r.GetProperty("rig").GetString()!)
                    .Where(r => MatrixTenancy.Rigs.Contains((site.Name, r))).Order().ToList();
                var want = MatrixTenancy.Rigs.Where(r => r.Site == site.Name && MatrixTenancy.DataMarkers(person, r.Rig) is not null).Select(r => r.Rig).Order().ToList();
                return listed.SequenceEqual(want) ? null : $"{endpoint.Key} on {target} as {caller}: lists [{string.Join(",", listed)}], may see [{string.Join(",", want)}]";
            }
            case "/api/sites/{site}/rigs/{rig}/series" when target is RigTarget rig:
            {
                var got = JsonDocument.Parse(body).RootElement.GetProperty("points").EnumerateArray().Select(p => (int)p.GetProperty("value").GetDouble()).Order().ToList();
                var want = MatrixTenancy.DataMarkers(person, rig.Name);
                return want is not null && got.SequenceEqual(want) ? null : Describe(got, want);
            }
            case "/api/sites/{site}/rigs/{rig}/latest" when target is RigTarget rig:
            {
                var got = JsonDocument.Parse(body).RootElement.GetProperty("values").EnumerateArray().Select(p => (int)p.GetProperty("value").GetDouble()).ToList();
                var want = MatrixTenancy.DataMarkers(person, rig.Name);
                // Every marker lies within the last day: the newest one the caller may see.
                var newest = want?.DefaultIfEmpty(0).Max() ?? 0;
                return (newest == 0 ? got.Count == 0 : got.SequenceEqual([newest])) ? null : Describe(got, newest == 0 ? [] : [newest]);
            }
            case "/api/sites/{site}/rigs/{rig}/alerts" when target is RigTarget rig:
            {
                // The markers m1…m3 (the matrix adds alerts of its own to close).
                var got = JsonDocument.Parse(body).RootElement.GetProperty("alerts").EnumerateArray().Select(a => a.GetProperty("id").GetString()!)
                    .Where(id => id.StartsWith('m') && id[1..].All(char.IsAsciiDigit)).Select(id => int.Parse(id[1..])).Order().ToList();
                var want = MatrixTenancy.DataMarkers(person, rig.Name);
                return want is not null && got.SequenceEqual(want) ? null : Describe(got, want);
            }
            case "/api/sites/{site}/rigs/{rig}/maintenance" when target is RigTarget rig:
            {
                // The markers "marker 1…3" (the matrix records actions of its own).
                var got = JsonDocument.Parse(body).RootElement.GetProperty("maintenance").EnumerateArray().Select(a => a.GetProperty("what").GetString()!)
                    .Where(w => w.StartsWith("marker ", StringComparison.Ordinal)).Select(w => int.Parse(w["marker ".Length..])).Order().ToList();
                var want = MatrixTenancy.DataMarkers(person, rig.Name);
                return want is not null && got.SequenceEqual(want) ? null : Describe(got, want);
            }
            case "/api/sites/{site}/rigs/{rig}/faults" when target is RigTarget rig:
            {
                var got = JsonDocument.Parse(body).RootElement.EnumerateArray().Select(e => int.Parse(e.GetProperty("command_id").GetString()![1..])).Order().ToList();
                var want = MatrixTenancy.TruthMarkers(person, rig.Name);
                return want is not null && got.SequenceEqual(want) ? null : Describe(got, want);
            }
            case "/api/sites/{site}/rigs/{rig}/export" when target is RigTarget rig:
            {
                var got = Encoding.UTF8.GetString(body).Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith("time", StringComparison.Ordinal))
                    .Select(l => (int)double.Parse(l.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();
                var want = MatrixTenancy.DataMarkers(person, rig.Name);
                return want is not null && got.SequenceEqual(want) ? null : Describe(got, want);
            }
            default:
                return null;
        }
    }

    private async Task<IReadOnlyList<MatrixCaller>> CallersAsync()
    {
        var callers = new List<MatrixCaller> { new("anonymous", null, null, null, null, null, false) };
        foreach (var (name, (role, site, organisation)) in MatrixTenancy.People)
            callers.Add(new MatrixCaller(name, name, role, site, organisation, await fixture.Api.TokenAsync(name), false));
        // A school's identity provider: a learner becomes a student of techport on first sight.
        var oidc = fixture.Oidc.Token("s-learner", EndpointExamples.OidcName, ["learner"]);
        using (var first = fixture.Api.Client(oidc)) Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/api/me")).StatusCode);
        callers.Add(new MatrixCaller("oidc student", "oidc", Role.Student, "techport", null, oidc, false));

        // Credentials that must get 401 everywhere a sign-in is needed.
        var expired = await fixture.Api.TokenAsync("student", TimeSpan.FromMilliseconds(1));
        string revoked = await fixture.Api.TokenAsync("student");
        await fixture.Api.WithStoreAsync(async (db, users) =>
        {
            TokenText.TryParse(revoked, ApiTokens.Prefix, out var id, out var secret);
            var token = await db.ApiTokens.FirstAsync(t => t.Id == id);
            token.RevokedAt = DateTime.UtcNow;
            await db.SaveChangesAsync();
        });
        var valid = await fixture.Api.TokenAsync("admin");
        var tampered = valid[..^1] + (valid[^1] == 'A' ? 'B' : 'A');
        await Task.Delay(10); // the 1 ms token has expired
        callers.AddRange(
        [
            new("expired token", null, null, null, null, expired, true),
            new("revoked token", null, null, null, null, revoked, true),
            new("tampered admin token", null, null, null, null, tampered, true),
            new("jwt alg none", null, null, null, null, fixture.Oidc.UnsignedToken("s-x", "sneaky", ["teacher"]), true),
            new("jwt other key", null, null, null, null, fixture.Oidc.Token("s-x", "sneaky", ["teacher"], key: OidcIssuer.NewKey()), true),
            new("jwt expired", null, null, null, null, fixture.Oidc.Token("s-x", "sneaky", ["teacher"], lifetime: TimeSpan.FromMinutes(5), notBefore: DateTime.UtcNow.AddHours(-1)), true),
            new("jwt wrong issuer", null, null, null, null, fixture.Oidc.Token("s-x", "sneaky", ["teacher"], issuer: "http://127.0.0.1:1/"), true),
            new("jwt wrong audience", null, null, null, null, fixture.Oidc.Token("s-x", "sneaky", ["teacher"], audience: "someone-else"), true),
        ]);
        return callers;
    }

    // RoutePattern.RawText as the table writes it: leading slash, no trailing slash (a group's "/" child is its prefix).
    private static string Normalise(string? raw)
    {
        var text = "/" + (raw ?? "").Trim('/');
        return text.Replace("{id:int}", "{id}", StringComparison.Ordinal);
    }
}

/// <summary>The matrix on the embedded SQLite store.</summary>
[Collection("access-sqlite")]
public sealed class RightsMatrixOnSqliteTests(SqliteAccessFixture fixture, ITestOutputHelper output) : RightsMatrixTests(fixture, output);

/// <summary>The matrix on PostgreSQL.</summary>
[Collection("access-postgres")]
public sealed class RightsMatrixOnPostgresTests(PostgresAccessFixture fixture, ITestOutputHelper output) : RightsMatrixTests(fixture, output);

/// <summary>One SQLite fixture for the access tests of this assembly.</summary>
[CollectionDefinition("access-sqlite")]
public sealed class SqliteAccessCollection : ICollectionFixture<SqliteAccessFixture>;

/// <summary>One PostgreSQL fixture for the access tests of this assembly.</summary>
[CollectionDefinition("access-postgres")]
public sealed class PostgresAccessCollection : ICollectionFixture<PostgresAccessFixture>;
