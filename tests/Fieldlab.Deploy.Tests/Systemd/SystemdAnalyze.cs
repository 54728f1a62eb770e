using System.Diagnostics;
using Fieldlab.LocalServers;
using Fieldlab.Testing;

namespace Fieldlab.Deploy.Tests.Systemd;

/// <summary>Runs <c>systemd-analyze verify</c> on deploy/systemd's units and drop-ins, installed into a temporary unit
/// directory (<c>SYSTEMD_UNIT_PATH</c>) with their executables pointed at stand-ins there, so that verify — which
/// refuses an ExecStart whose binary does not exist — checks the units, not this machine's installation.</summary>
internal static class SystemdAnalyze
{
    /// <summary>The tool, or null where it is not installed.</summary>
    public static string? Tool { get; } = new[] { "/usr/bin/systemd-analyze", "/bin/systemd-analyze" }.FirstOrDefault(File.Exists);

    /// <summary>Our units, by file name.</summary>
    public static readonly string[] Units = ["fieldlab-ingest.service", "fieldlab-api.service", "fieldlab-gateway.service", "fieldlab-provision.service"];

    /// <summary>Debian's units we add a drop-in to, and the executable each drop-in starts.</summary>
    public static readonly (string Unit, string Executable)[] DropIns = [("mosquitto.service", "/usr/sbin/mosquitto"), ("influxdb.service", "/usr/bin/influxd")];

    /// <summary>verify's output lines about our files (empty: no warnings), for the files as they are, or with
    /// <paramref name="change"/> applied to one file's text (name relative to deploy/systemd).</summary>
    public static IReadOnlyList<string> Verify(Func<string, string, string>? change = null)
    {
        change ??= (_, text) => text;
        using var temp = new TempDirectory("fieldlab-systemd");
        var units = Directory.CreateDirectory(temp.File("units")).FullName;
        var bin = Directory.CreateDirectory(temp.File("bin")).FullName;
        string StandIn(string executable)
        {
            var path = Path.Combine(bin, Path.GetFileName(executable));
            File.WriteAllText(path, "#!/bin/sh\nexit 0\n");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            return path;
        }
        string Install(string relative, string text) => change(relative, text);

        string dotnet = StandIn("/usr/bin/dotnet");
        foreach (var unit in Units)
        {
            var text = Install(unit, File.ReadAllText(RepositoryRoot.File("deploy", "systemd", unit)));
            File.WriteAllText(Path.Combine(units, unit), text.Replace("/usr/bin/dotnet ", dotnet + " ", StringComparison.Ordinal));
        }
        foreach (var (unit, executable) in DropIns)
        {
            string name = Path.GetFileNameWithoutExtension(unit);
            var directory = Directory.CreateDirectory(Path.Combine(units, unit + ".d")).FullName;
            var text = Install(Path.Combine(name, "fieldlab.conf"), File.ReadAllText(RepositoryRoot.File("deploy", "systemd", name, "fieldlab.conf")));
            File.WriteAllText(Path.Combine(directory, "fieldlab.conf"), text.Replace(executable + " ", StandIn(executable) + " ", StringComparison.Ordinal));
            // Debian's unit when this machine has it (the drop-in is checked on top of the real one), else a stand-in.
            if (!new[] { "/lib/systemd/system/", "/usr/lib/systemd/system/" }.Any(d => File.Exists(d + unit)))
                File.WriteAllText(Path.Combine(units, unit), $"[Unit]\nDescription=stand-in for Debian's {unit}\n[Service]\nExecStart={StandIn(executable)}\n");
        }

        var start = new ProcessStartInfo(Tool!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = temp.Path };
        foreach (var argument in new[] { "verify", "--man=no", "--generators=no" }.Concat(Units).Concat(DropIns.Select(d => d.Unit))) start.ArgumentList.Add(argument);
        // A trailing ':' keeps the machine's unit directories after ours (targets, Debian's mosquitto.service).
        start.Environment["SYSTEMD_UNIT_PATH"] = units + ":";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return [.. (stdout + "\n" + stderr.Result).Split('\n').Select(l => l.Trim())
            .Where(l => l.Length > 0 && (l.Contains("fieldlab", StringComparison.Ordinal) || DropIns.Any(d => l.StartsWith(d.Unit, StringComparison.Ordinal))))];
    }
}

/// <summary>A fact that needs systemd-analyze; skipped, saying so, where it is not installed.</summary>
internal sealed class SystemdAnalyzeFactAttribute : FactAttribute
{
    public SystemdAnalyzeFactAttribute()
    {
        if (SystemdAnalyze.Tool is null) Skip = "systemd-analyze is not installed (Debian: apt-get install systemd), so the units were not verified";
    }
}

/// <summary>A theory that needs systemd-analyze; skipped, saying so, where it is not installed.</summary>
internal sealed class SystemdAnalyzeTheoryAttribute : TheoryAttribute
{
    public SystemdAnalyzeTheoryAttribute()
    {
        if (SystemdAnalyze.Tool is null) Skip = "systemd-analyze is not installed (Debian: apt-get install systemd), so the units were not verified";
    }
}
