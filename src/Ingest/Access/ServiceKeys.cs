using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Fieldlab.Ingest.Access;

/// <summary>Who may call ingest's own endpoints (quarantine, replay, models, stats reset): holders of a service key
/// from <see cref="IngestOptions.ServiceKeyFile"/> — the API's (which checks people's rights first) and the operator's.
/// The file is read again when it changes, so that a key can be rotated without a restart. Without a file every call
/// is refused: fail closed.</summary>
public sealed class ServiceKeys(IOptions<IngestOptions> options)
{
    private readonly object _gate = new();
    private DateTime _loadedStamp;
    private byte[][] _hashes = [];

    /// <summary>The endpoint filter that refuses a call without a valid <c>Authorization: Bearer {key}</c>.</summary>
    public async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        var key = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
        if (key is null || !IsValid(key))
        {
            context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.Problem("This endpoint needs a service key (the API's, or the operator's from .fieldlab/secrets/ingest-operator.key).",
                statusCode: 401, title: "Service credentials required");
        }
        return await next(context);
    }

    /// <summary>True if <paramref name="key"/> is one of the configured keys.</summary>
    public bool IsValid(string key)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        bool match = false;
        foreach (var known in Current()) match |= CryptographicOperations.FixedTimeEquals(hash, known);
        return match;
    }

    private byte[][] Current()
    {
        var file = options.Value.ServiceKeyFile;
        if (file is null || !File.Exists(file)) return [];
        var stamp = File.GetLastWriteTimeUtc(file);
        lock (_gate)
        {
            if (stamp != _loadedStamp)
            {
                _hashes = [.. File.ReadAllLines(file).Select(l => l.Trim()).Where(l => l.Length >= 16).Select(l => SHA256.HashData(Encoding.UTF8.GetBytes(l)))];
                _loadedStamp = stamp;
            }
            return _hashes;
        }
    }
}
