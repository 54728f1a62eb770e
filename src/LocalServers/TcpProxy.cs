using System.Net;
using System.Net.Sockets;

namespace Fieldlab.LocalServers;

/// <summary>A loopback TCP forwarder that can cut every connection and refuse new ones, then be restored: a network
/// partition between one client (a gateway) and its server (the broker), on one machine.</summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly int _targetPort;
    private readonly object _gate = new();
    private readonly List<TcpClient> _open = [];
    private TcpListener? _listener;
    private CancellationTokenSource _cut = new();

    private TcpProxy(int targetPort)
    {
        _targetPort = targetPort;
        Port = FreePort.Next();
    }

    /// <summary>The port clients connect to.</summary>
    public int Port { get; }

    /// <summary>True while cut.</summary>
    public bool IsCut { get; private set; }

    /// <summary>Starts forwarding 127.0.0.1:<see cref="Port"/> to 127.0.0.1:<paramref name="targetPort"/>.</summary>
    public static TcpProxy Start(int targetPort)
    {
        var proxy = new TcpProxy(targetPort);
        proxy.Listen();
        return proxy;
    }

    /// <summary>Closes every forwarded connection and refuses new ones.</summary>
    public void Cut()
    {
        lock (_gate)
        {
            IsCut = true;
            _listener?.Stop();
            _listener = null;
            _cut.Cancel();
            foreach (var client in _open) client.Dispose();
            _open.Clear();
        }
    }

    /// <summary>Accepts connections again.</summary>
    public void Restore()
    {
        lock (_gate)
        {
            _cut = new CancellationTokenSource();
            IsCut = false;
        }
        Listen();
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Cut();
        return ValueTask.CompletedTask;
    }

    private void Listen()
    {
        var listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        CancellationToken token;
        lock (_gate)
        {
            _listener = listener;
            token = _cut.Token;
        }
        _ = Task.Run(async () =>
        {
            while (!token.IsCancellationRequested)
            {
                TcpClient inbound;
                try
                {
                    inbound = await listener.AcceptTcpClientAsync(token);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }
                _ = ForwardAsync(inbound, token);
            }
        }, CancellationToken.None);
    }

    private async Task ForwardAsync(TcpClient inbound, CancellationToken token)
    {
        var outbound = new TcpClient { NoDelay = true };
        inbound.NoDelay = true;
        lock (_gate)
        {
            if (token.IsCancellationRequested)
            {
                inbound.Dispose();
                outbound.Dispose();
                return;
            }
            _open.Add(inbound);
            _open.Add(outbound);
        }
        try
        {
            await outbound.ConnectAsync(IPAddress.Loopback, _targetPort, token);
            var a = inbound.GetStream();
            var b = outbound.GetStream();
            await Task.WhenAny(a.CopyToAsync(b, token), b.CopyToAsync(a, token));
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // A cut, or one side closed.
        }
        finally
        {
            inbound.Dispose();
            outbound.Dispose();
            lock (_gate)
            {
                _open.Remove(inbound);
                _open.Remove(outbound);
            }
        }
    }
}
