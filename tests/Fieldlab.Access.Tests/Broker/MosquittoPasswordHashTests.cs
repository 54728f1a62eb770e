using System.Diagnostics;
using Fieldlab.Access.Broker;
using Fieldlab.Testing;

namespace Fieldlab.Access.Tests.Broker;

/// <summary>The <c>$7$</c> password hashes of Mosquitto 2.0's password file: a round trip, and lines written by the real
/// <c>mosquitto_passwd</c> (which proves the format; that the real broker accepts rendered files is in <see cref="BrokerReloaderTests"/>).</summary>
public sealed class MosquittoPasswordHashTests
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_!$:#' \\\"äß€";

    private static string RandomText(Random random, int min, int max) =>
        new([.. Enumerable.Range(0, random.Next(min, max + 1)).Select(_ => Alphabet[random.Next(Alphabet.Length)])]);

    [Fact]
    public void HashThenVerify_RandomPasswords_RoundTripAndRejectOthers()
    {
        for (int seed = 0; seed < 200; seed++)
        {
            var random = new Random(seed);
            var user = "u" + RandomText(random, 1, 10);
            var password = RandomText(random, 1, 40);
            var hash = MosquittoPasswordHash.Hash(user, password);
            Assert.True(MosquittoPasswordHash.Verify(hash, password), $"seed {seed}: '{password}' does not verify against {hash}");
            Assert.False(MosquittoPasswordHash.Verify(hash, password + "x"), $"seed {seed}: a longer password verifies");
            Assert.False(MosquittoPasswordHash.Verify(hash, password[..^1] + (password[^1] == 'a' ? 'b' : 'a')), $"seed {seed}: a changed password verifies");
        }
    }

    [Fact]
    public void Hash_AnyPassword_HasMosquittosFormat()
    {
        var parts = MosquittoPasswordHash.Hash("gw.techport.pump-1", "secret-password").Split('$');
        Assert.Equal(5, parts.Length);
        Assert.Equal("", parts[0]);
        Assert.Equal("7", parts[1]);
        Assert.Equal("101", parts[2]);
        Assert.Equal(12, Convert.FromBase64String(parts[3]).Length);
        Assert.Equal(64, Convert.FromBase64String(parts[4]).Length);
    }

    [Fact]
    public void Hash_SameInputTwice_IsIdenticalAndSaltsDifferByUser()
    {
        Assert.Equal(MosquittoPasswordHash.Hash("anna", "same-password"), MosquittoPasswordHash.Hash("anna", "same-password"));
        var anna = MosquittoPasswordHash.Hash("anna", "same-password").Split('$');
        var bart = MosquittoPasswordHash.Hash("bart", "same-password").Split('$');
        Assert.NotEqual(anna[3], bart[3]);
        Assert.NotEqual(anna[4], bart[4]);
    }

    [Fact]
    public async Task Verify_LinesWrittenByMosquittoPasswd_Accepts()
    {
        using var directory = new TempDirectory("fieldlab-passwd");
        var file = directory.File("passwd");
        var random = new Random(7);
        var cases = new List<(string User, string Password)> { ("alice", "correct horse battery staple"), ("gw.techport.pump-1", "Zx9-_kq!"), ("bob", "ümlaut€") };
        for (int i = 0; i < 5; i++) cases.Add(($"user{i}", RandomText(random, 1, 30).Replace("\"", "", StringComparison.Ordinal)));
        foreach (var (user, password) in cases) await RunAsync("mosquitto_passwd", File.Exists(file) ? ["-b", file, user, password] : ["-c", "-b", file, user, password]);

        var lines = (await File.ReadAllLinesAsync(file)).Where(l => l.Length > 0).ToDictionary(l => l[..l.IndexOf(':', StringComparison.Ordinal)], l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..]);
        Assert.Equal(cases.Count, lines.Count);
        foreach (var (user, password) in cases)
        {
            var hash = lines[user];
            Assert.StartsWith("$7$", hash, StringComparison.Ordinal);
            Assert.Equal(MosquittoPasswordHash.Iterations.ToString(System.Globalization.CultureInfo.InvariantCulture), hash.Split('$')[2]);
            Assert.True(MosquittoPasswordHash.Verify(hash, password), $"mosquitto_passwd's hash of '{password}' for {user} does not verify: {hash}");
            Assert.False(MosquittoPasswordHash.Verify(hash, password + "!"), $"mosquitto_passwd's hash for {user} verifies a wrong password");
        }
    }

    private static async Task RunAsync(string program, string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not run {program}");
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)} failed ({process.ExitCode}): {await error}");
    }
}
