using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ReferralService.Tests.Support;

/// <summary>
/// A TCP proxy in front of PostgreSQL that, once armed, lets the next query containing a marker
/// reach the server and run to its end (ReadyForQuery: the transaction has committed), then cuts
/// the connection instead of passing the answer on: a connection lost around commit.
/// </summary>
internal sealed class DroppingProxy : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly int targetPort;
    private readonly CancellationTokenSource stop = new();
    private readonly Task accepting;
    private string? marker;

    public DroppingProxy(int targetPort)
    {
        this.targetPort = targetPort;
        listener.Start();
        accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public int Drops { get; private set; }

    /// <summary>The next query whose text contains <paramref name="text"/> commits but its answer is lost.</summary>
    public void DropNextAnswerTo(string text) => marker = text;

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            _ = Task.Run(() => RelayAsync(client));
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using var _ = client;
        using var server = new TcpClient();
        await server.ConnectAsync(IPAddress.Loopback, targetPort);
        var doomed = new TaskCompletionSource();
        var fromClient = client.GetStream();
        var fromServer = server.GetStream();

        var up = Task.Run(async () =>
        {
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await fromClient.ReadAsync(buffer)) > 0)
            {
                var armed = marker;
                if (armed is not null && Encoding.UTF8.GetString(buffer, 0, read).Contains(armed, StringComparison.Ordinal))
                {
                    marker = null;
                    doomed.TrySetResult();
                }
                await fromServer.WriteAsync(buffer.AsMemory(0, read));
            }
        });

        var down = Task.Run(async () =>
        {
            var buffer = new byte[64 * 1024];
            var pending = new List<byte>();
            int read;
            while ((read = await fromServer.ReadAsync(buffer)) > 0)
            {
                if (!doomed.Task.IsCompleted)
                {
                    await fromClient.WriteAsync(buffer.AsMemory(0, read));
                    continue;
                }
                // Hold the answer back until the server says the transaction is over, then cut.
                pending.AddRange(buffer.AsSpan(0, read).ToArray());
                if (EndsWithReadyForQuery(pending))
                {
                    Drops++;
                    client.Client.Close();
                    server.Client.Close();
                    return;
                }
            }
        });

        try
        {
            await Task.WhenAny(up, down);
        }
        catch (IOException)
        {
        }
    }

    private static bool EndsWithReadyForQuery(List<byte> messages)
    {
        var bytes = messages.ToArray();
        var offset = 0;
        var lastType = (byte)0;
        while (offset + 5 <= bytes.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(offset + 1, 4));
            if (offset + 1 + length > bytes.Length)
            {
                return false;
            }
            lastType = bytes[offset];
            offset += 1 + length;
        }
        return offset == bytes.Length && lastType == (byte)'Z';
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await accepting;
        stop.Dispose();
    }
}
