using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fieldlab.Api.Tests.Access;
using Fieldlab.Testing;

namespace Fieldlab.Api.Tests.Datasets;

/// <summary>Dataset quotas: a freeze that would take its owner (here the site's instructors) over the quota is refused
/// with 507 after writing, and nothing of it stays — no folder, no record.</summary>
[Collection("servers")]
public sealed class DatasetQuotaTests(ServersFixture servers)
{
    private static readonly DateTime T0 = new(2026, 11, 30, 9, 0, 0, DateTimeKind.Utc);

    private static object Selection(int seconds) => new { site = "lab", rigs = new[] { "rig-1" }, from = T0.ToString("O"), to = T0.AddSeconds(seconds).ToString("O") };

    [Fact]
    public async Task AFreezeOverTheQuota_IsRefusedWith507_AndLeavesNothing()
    {
        using var datasets = new TempDirectory("quota");
        var tenancy = new SmallTenancy();
        // 40 KiB: a few small datasets (some KiB each) fit, ten do not.
        await using var api = await ApiUnderTest.StartAsync(servers.Influx, null, tenancy.SeedAsync, settings: new Dictionary<string, string?>
        {
            ["Datasets:Directory"] = datasets.Path, ["Datasets:QuotaMegabytes"] = "0.04",
        });
        await RecordedRig.PrepareAsync(api, servers, T0, 60);
        using var teacher = api.Client(await api.TokenAsync("teacher"));

        var statuses = new List<HttpStatusCode>();
        for (int i = 1; i <= 10; i++)
        {
            using var response = await teacher.PostAsJsonAsync("/api/datasets", Selection(i));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.InsufficientStorage)
            {
                var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
                Assert.Contains("quota", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
                break;
            }
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
        Assert.Equal(HttpStatusCode.InsufficientStorage, statuses[^1]);
        int kept = statuses.Count - 1;
        Assert.InRange(kept, 1, 9);
        var list = await teacher.GetFromJsonAsync<JsonElement>("/api/datasets");
        Assert.Equal(kept, list.GetArrayLength());
        long bytes = list.EnumerateArray().Sum(d => d.GetProperty("bytes").GetInt64());
        Assert.True(bytes <= 0.04 * 1024 * 1024, $"{bytes} bytes kept");
        Assert.Equal(kept, Directory.EnumerateDirectories(datasets.Path).Count()); // one folder per dataset, no temporary one left
        foreach (var f in Directory.EnumerateFiles(datasets.Path, "*", SearchOption.AllDirectories)) File.SetAttributes(f, FileAttributes.Normal);
    }
}
