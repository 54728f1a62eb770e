using Fieldlab.Telemetry.Influx;
using Fieldlab.LocalServers;
using Fieldlab.Testing;

namespace Fieldlab.Telemetry.Tests.Influx;

[Collection("servers")]
public sealed class InfluxClientTests(ServersFixture servers)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Ping_ReportsTheServerVersion()
    {
        using var client = new InfluxClient(servers.Influx.ClientOptions());
        var version = await client.PingAsync(Ct);
        Assert.StartsWith("1.", version);
    }

    [Fact]
    public async Task WrittenPoints_AreReturnedByAQueryWithBoundParameters()
    {
        using var client = await servers.Influx.NewDatabaseAsync();
        var lp = new LineProtocolWriter();
        for (int i = 0; i < 10; i++) lp.BeginPoint("samples").Tag("rig", i % 2 == 0 ? "pump-1" : "pump-2").Field("flow", i * 1.5).EndPoint(1_000_000_000L * (i + 1));
        await client.WriteAsync(lp.WrittenMemory, Ct);

        var result = await client.QueryAsync(new InfluxQuery("SELECT flow FROM samples WHERE rig = $rig AND time >= $from").Bind("rig", "pump-1").Bind("from", DateTimeOffset.UnixEpoch.AddSeconds(3)), Ct);
        var series = Assert.Single(result.Series);
        Assert.Equal([3.0, 6.0, 9.0, 12.0], Enumerable.Range(0, series.Rows.Count).Select(r => series.GetDouble(r, "flow")!.Value));
        Assert.Equal(3_000_000_000L, series.GetTimeNanoseconds(0));
    }

    [Theory]
    [InlineData("x' OR 1=1")]
    [InlineData("pump-1' OR rig =~ /.*/ --")]
    [InlineData("\" OR \"\"=\"")]
    [InlineData("pump-1; DROP DATABASE x")]
    public async Task InjectionAttemptInABoundParameter_MatchesNothing(string hostile)
    {
        using var client = await servers.Influx.NewDatabaseAsync();
        var lp = new LineProtocolWriter();
        lp.BeginPoint("samples").Tag("rig", "pump-1").Field("flow", 1.0).EndPoint(1_000_000_000);
        await client.WriteAsync(lp.WrittenMemory, Ct);

        var result = await client.QueryAsync(new InfluxQuery("SELECT flow FROM samples WHERE rig = $rig").Bind("rig", hostile), Ct);
        Assert.Empty(result.Series);
        var all = await client.QueryAsync(new InfluxQuery("SELECT count(flow) FROM samples"), Ct);
        Assert.Equal(1.0, all.Single!.GetDouble(0, "count"));
    }

    [Fact]
    public async Task EscapedNames_RoundTripThroughTheServer()
    {
        using var client = await servers.Influx.NewDatabaseAsync();
        var lp = new LineProtocolWriter();
        const string tagValue = "pump 1,left=yes \"quoted\"";
        lp.BeginPoint("samples").Tag("rig", tagValue).Field("a b,c=d", 2.5).Field("note", "say \"hi\" \\o/").EndPoint(1_000_000_000);
        await client.WriteAsync(lp.WrittenMemory, Ct);

        var result = await client.QueryAsync(new InfluxQuery("SELECT \"a b,c=d\", note, rig FROM samples WHERE rig = $rig").Bind("rig", tagValue), Ct);
        var series = Assert.Single(result.Series);
        Assert.Equal(2.5, series.GetDouble(0, "a b,c=d"));
        Assert.Equal("say \"hi\" \\o/", series.Rows[0][series.ColumnIndex("note")].GetString());
        Assert.Equal(tagValue, series.Rows[0][series.ColumnIndex("rig")].GetString());
    }

    [Fact]
    public async Task SamePointWrittenTwice_IsStoredOnce()
    {
        using var client = await servers.Influx.NewDatabaseAsync();
        var lp = new LineProtocolWriter();
        lp.BeginPoint("samples").Tag("rig", "r").Field("v", 1.0).EndPoint(5_000);
        await client.WriteAsync(lp.WrittenMemory, Ct);
        await client.WriteAsync(lp.WrittenMemory, Ct);
        var result = await client.QueryAsync(new InfluxQuery("SELECT count(v) FROM samples"), Ct);
        Assert.Equal(1.0, result.Single!.GetDouble(0, "count"));
    }

    [Fact]
    public async Task FieldTypeConflict_IsAPermanentWriteRejection()
    {
        using var client = await servers.Influx.NewDatabaseAsync();
        var lp = new LineProtocolWriter();
        lp.BeginPoint("samples").Field("v", 1.0).EndPoint(1);
        await client.WriteAsync(lp.WrittenMemory, Ct);
        lp.Clear();
        lp.BeginPoint("samples").Field("v", "text").EndPoint(2);
        var error = await Assert.ThrowsAsync<InfluxWriteRejectedException>(() => client.WriteAsync(lp.WrittenMemory, Ct));
        Assert.False(error.IsTransient);
        Assert.Equal(400, error.StatusCode);
        Assert.Contains("conflict", error.Message);
    }

    [Fact]
    public async Task UnknownDatabase_IsAPermanentError()
    {
        using var client = new InfluxClient(servers.Influx.ClientOptions("does_not_exist"));
        var lp = new LineProtocolWriter();
        lp.BeginPoint("m").Field("v", 1.0).EndPoint(1);
        var error = await Assert.ThrowsAsync<InfluxException>(() => client.WriteAsync(lp.WrittenMemory, Ct));
        Assert.False(error.IsTransient);
        Assert.Contains("database not found", error.Message);
    }

    [Fact]
    public async Task BadQuery_IsAPermanentErrorNamingTheProblem()
    {
        using var client = await servers.Influx.NewDatabaseAsync();
        var error = await Assert.ThrowsAsync<InfluxException>(() => client.QueryAsync(new InfluxQuery("SELEKT nothing"), Ct));
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task UnreachableServer_IsATransientError_AfterRetries()
    {
        var options = new InfluxOptions { Url = $"http://127.0.0.1:{FreePort.Next()}", MaxRetries = 2, RetryDelay = TimeSpan.FromMilliseconds(10) };
        using var client = new InfluxClient(options);
        var lp = new LineProtocolWriter();
        lp.BeginPoint("m").Field("v", 1.0).EndPoint(1);
        var error = await Assert.ThrowsAsync<InfluxException>(() => client.WriteAsync(lp.WrittenMemory, Ct));
        Assert.True(error.IsTransient);
    }

    [Fact]
    public void IdentifierQuoting_RejectsAnythingOutsideTheSafeAlphabet()
    {
        Assert.Equal("\"flow_m3h\"", InfluxIdentifier.Quote("flow_m3h"));
        Assert.Throws<ArgumentException>(() => InfluxIdentifier.Quote("flow\" FROM x; --"));
        Assert.Throws<ArgumentException>(() => InfluxIdentifier.Quote(""));
        Assert.Throws<ArgumentException>(() => InfluxIdentifier.Quote("a b"));
    }

    [Fact]
    public void BindingAParameterTheQueryDoesNotUse_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => new InfluxQuery("SELECT v FROM m").Bind("rig", "x"));
    }
}
