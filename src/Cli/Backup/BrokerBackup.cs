namespace Fieldlab.Cli.Backup;

/// <summary>The broker's files: its persistence (<c>mosquitto.db</c>: persistent sessions, queued QoS 1 messages,
/// retained messages) and its access files (<c>access/passwd</c>, <c>access/acl</c>).</summary>
/// <remarks>Mosquitto writes <c>mosquitto.db</c> whole, to a new file renamed over the old one, on every autosave
/// (5 s under <c>./fieldlab up</c>) and on a clean stop — so a copy is always one complete save, as of that save: what
/// changed since (a message queued a second ago) is not in it. Gateways resend what ingest never confirmed, so the
/// loss is a replay, not a gap. The access files are rendered from the metadata store and are rendered again by
/// <c>./fieldlab up</c>; they are kept so a restored broker can start before that.</remarks>
internal static class BrokerBackup
{
    private static readonly string[] Files = ["mosquitto.db"];

    /// <summary>Copies what exists from the state's <c>mosquitto/</c> to <paramref name="target"/>; true when
    /// <c>mosquitto.db</c> was among it.</summary>
    public static bool Copy(string source, string target)
    {
        bool persistence = false;
        foreach (var name in Files)
        {
            var file = Path.Combine(source, name);
            if (!File.Exists(file)) continue;
            BackupPaths.CopyFile(file, Path.Combine(target, name));
            persistence = true;
        }
        BackupPaths.CopyTree(Path.Combine(source, "access"), Path.Combine(target, "access"), relative => relative.Contains(".tmp", StringComparison.Ordinal));
        return persistence;
    }

    /// <summary>What the target's <c>mosquitto/</c> holds already of what a restore would write, or null.</summary>
    public static string? DescribeExisting(string stateBroker)
    {
        var present = Files.Select(name => Path.Combine(stateBroker, name)).Where(File.Exists).ToList();
        var access = Path.Combine(stateBroker, "access");
        if (Directory.Exists(access) && Directory.EnumerateFiles(access).Any()) present.Add(access);
        return present.Count > 0 ? string.Join(", ", present) : null;
    }
}
