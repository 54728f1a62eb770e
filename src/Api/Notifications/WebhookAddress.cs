using System.Net;
using System.Net.Sockets;

namespace Fieldlab.Api.Notifications;

/// <summary>Which webhook URLs the API posts to: http(s) only, no credentials in the URL, and — unless
/// <see cref="NotificationOptions.AllowPrivateWebhooks"/> — no loopback, private or link-local address, checked when
/// the URL is set and again on every connection (a name that resolves to such an address later is refused then).</summary>
public static class WebhookAddress
{
    /// <summary>Longest URL accepted.</summary>
    public const int MaxLength = 2000;

    /// <summary>Null if <paramref name="url"/> is acceptable, otherwise why not (a sentence for people).</summary>
    public static string? Explain(string url, bool allowPrivate)
    {
        if (url.Length > MaxLength) return $"at most {MaxLength} characters";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            return $"'{url}' is not an absolute http:// or https:// URL";
        if (uri.UserInfo.Length > 0) return "must not carry a user name or password (the signature header tells the receiver the message is Fieldlab's)";
        if (!allowPrivate && (uri.IsLoopback || IPAddress.TryParse(uri.DnsSafeHost, out var ip) && IsPrivate(ip)))
            return $"'{uri.Host}' is a loopback or private address, which this Fieldlab does not post to (Notifications:AllowPrivateWebhooks)";
        return null;
    }

    /// <summary>Loopback, private (RFC 1918, unique local), link-local, shared (RFC 6598) or unspecified.</summary>
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) return true;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] is 10 or 0 || (b[0] == 172 && b[1] is >= 16 and <= 31) || (b[0] == 192 && b[1] == 168) || (b[0] == 169 && b[1] == 254)
                || (b[0] == 100 && b[1] is >= 64 and <= 127);
        }
        return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal;
    }

    /// <summary>A connection callback for <see cref="SocketsHttpHandler"/> that connects only to acceptable addresses.</summary>
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> Connector(bool allowPrivate) => async (context, cancellationToken) =>
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var allowed = allowPrivate ? addresses : [.. addresses.Where(a => !IsPrivate(a))];
        if (allowed.Length == 0) throw new HttpRequestException($"'{host}' resolves to no address this Fieldlab posts to (loopback and private networks are refused).");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    };
}
