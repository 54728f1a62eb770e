using System.Security.Cryptography;
using System.Text;

namespace Fieldlab.Access.Secrets;

/// <summary>Secrets as files under a private directory (mode 0700, files 0600): generated on first use, never in the
/// repository. The same layout works for Docker/Kubernetes secrets mounted as files.</summary>
public static class SecretFiles
{
    /// <summary>Creates <paramref name="directory"/> if needed and makes it private to its owner.</summary>
    public static void EnsurePrivateDirectory(string directory)
    {
        Directory.CreateDirectory(directory);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> with mode 0600, through a temporary file and a
    /// rename, so that a reader never sees half a file.</summary>
    public static void WriteAtomically(string path, string text)
    {
        var temp = path + ".tmp-" + Environment.ProcessId;
        using (var stream = new FileStream(temp, Private(FileMode.Create)))
        {
            stream.Write(Encoding.UTF8.GetBytes(text));
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>The secret in <paramref name="path"/>; generated (<paramref name="bytes"/> random bytes, base64url) if
    /// the file does not exist yet.</summary>
    public static string ReadOrCreate(string path, int bytes = 32)
    {
        if (File.Exists(path)) return File.ReadAllText(path).Trim();
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        EnsurePrivateDirectory(dir);
        var value = Accounts.TokenText.Base64Url(RandomNumberGenerator.GetBytes(bytes));
        try
        {
            using var stream = new FileStream(path, Private(FileMode.CreateNew));
            stream.Write(Encoding.UTF8.GetBytes(value + "\n"));
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process made it first: theirs counts.
        }
        return File.ReadAllText(path).Trim();
    }

    /// <summary>Reads an existing secret; a clear error if it is missing.</summary>
    public static string Read(string path) =>
        File.Exists(path) ? File.ReadAllText(path).Trim() : throw new FileNotFoundException($"Secret file '{path}' does not exist (run ./fieldlab up, or provision it).", path);

    /// <summary>Options that create a file readable and writable by its owner only (0600) from the first moment.</summary>
    private static FileStreamOptions Private(FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        return options;
    }
}
