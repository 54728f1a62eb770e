using System.Net;
using System.Net.Sockets;

namespace Fieldlab.LocalServers;

/// <summary>Hands out loopback TCP ports that are free right now.</summary>
public static class FreePort
{
    private static readonly HashSet<int> Given = [];

    /// <summary>A port the OS reports free and this process has not handed out before.</summary>
    public static int Next()
    {
        lock (Given)
        {
            while (true)
            {
                using var probe = new TcpListener(IPAddress.Loopback, 0);
                probe.Start();
                int port = ((IPEndPoint)probe.LocalEndpoint).Port;
                probe.Stop();
                if (Given.Add(port)) return port;
            }
        }
    }
}
