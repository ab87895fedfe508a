using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace FastLaDeDa.Tests.Support;

/// <summary>
/// A real <c>fastladeda serve</c> in a child process (<c>dotnet FastLaDeDa.Cli.dll serve ...</c>) on
/// a free loopback port, ready when its /healthz answers; stopped with SIGTERM, as an orchestrator does.
/// </summary>
internal sealed partial class ServeProcess : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly StringBuilder _stdout = new(), _stderr = new();

    private ServeProcess(Process process, int port)
    {
        (_process, Port) = (process, port);
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>The loopback port it listens on.</summary>
    public int Port { get; }

    /// <summary>A client for its address.</summary>
    public HttpClient Client { get; }

    /// <summary>What it printed so far (structured logs on stdout, errors on stderr).</summary>
    public string Output
    {
        get { lock (_stdout) return _stdout + "\n" + _stderr; }
    }

    /// <summary>Starts <c>fastladeda serve --port P ARGS</c> and waits until it answers /healthz.</summary>
    public static ServeProcess Start(params string[] args)
    {
        int port = FreePort();
        var process = CliRunner.StartChild(["serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. args]);
        var server = new ServeProcess(process, port);
        process.OutputDataReceived += (_, e) => { lock (server._stdout) server._stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (server._stdout) server._stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"serve exited with {process.ExitCode} before answering:\n{server.Output}");
            if (clock.Elapsed > StartTimeout)
            {
                server.Dispose();
                throw new TimeoutException("serve did not answer /healthz within a minute:\n" + server.Output);
            }
            try
            {
                if (server.Client.GetAsync("/healthz").Result.IsSuccessStatusCode) return server;
            }
            catch (AggregateException e) when (e.InnerException is HttpRequestException) { }
            Thread.Sleep(100);
        }
    }

    /// <summary>A port no one listens on now (the OS picks it; a tiny race with other processes is accepted).</summary>
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Sends SIGTERM.</summary>
    public void Terminate()
    {
        const int SigTerm = 15;
        if (Kill(_process.Id, SigTerm) != 0) throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Waits for the process to exit; its exit code, or null when it did not within <paramref name="timeout"/>.</summary>
    public int? WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout)) return null;
        _process.WaitForExit(); // flushes the redirected output
        return _process.ExitCode;
    }

    /// <summary>
    /// Opens a connection and sends a request's head and the first <paramref name="sent"/> bytes of
    /// <paramref name="body"/>, then stalls: a request in flight that holds a queue slot while it is read.
    /// </summary>
    public Socket StartSlowUpload(byte[] body, int sent)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Connect(IPAddress.Loopback, Port);
        // HTTP/1.0: the response then ends with the connection, never in chunks.
        string head = $"POST /v1/detect HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\nContent-Length: {body.Length}\r\n\r\n";
        socket.Send(Encoding.ASCII.GetBytes(head));
        socket.Send(body.AsSpan(0, sent));
        return socket;
    }

    /// <summary>Sends the rest of a slow upload.</summary>
    public static void FinishSlowUpload(Socket socket, byte[] body, int sent) => socket.Send(body.AsSpan(sent));

    /// <summary>Reads the response to a request sent on <paramref name="socket"/> (which it closes): its status and body.</summary>
    public static (int Status, string Body) ReadResponse(Socket socket)
    {
        using var stream = new NetworkStream(socket, ownsSocket: true);
        stream.ReadTimeout = 60_000;
        string response = new StreamReader(stream, Encoding.UTF8).ReadToEnd();
        int status = int.Parse(response.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        return (status, response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..]);
    }

    /// <summary>Stops the process if it still runs (SIGKILL: a test that wanted SIGTERM sent it).</summary>
    public void Dispose()
    {
        Client.Dispose();
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
