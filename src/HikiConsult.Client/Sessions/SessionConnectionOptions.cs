using System.Net.WebSockets;
using HikiConsult.Contracts;
using Microsoft.Extensions.Logging;

namespace HikiConsult.Client.Sessions;

/// <summary>Settings of a <see cref="SessionConnection"/>.</summary>
public sealed class SessionConnectionOptions
{
    /// <summary>Bearer token for each (re)connect; a refreshing provider keeps long sessions alive. Default none: no token.</summary>
    public Func<CancellationToken, ValueTask<string?>>? AccessTokenProvider { get; set; }

    /// <summary>Custom WebSocket opener (TestServer in tests). Default none: <see cref="ClientWebSocket"/>.</summary>
    public Func<Uri, CancellationToken, Task<WebSocket>>? Connect { get; set; }

    /// <summary>Who this connection speaks as; used for the caller's own events, which may reach it only through the ack. Default none.</summary>
    public SenderDto? Self { get; set; }

    /// <summary>
    /// SignalR's stateful reconnect for short network drops: the same server connection carries on, so in-flight
    /// sends complete without a repeat and no resume (an audited history read) is needed. Resume by afterSeq still
    /// covers everything else, server restarts included. Ignored with a custom <see cref="Connect"/>. Default on.
    /// </summary>
    public bool StatefulReconnect { get; set; } = true;

    /// <summary>Delays between reconnect attempts. Default: from 250 ms, doubling up to 5 s, with 20 % jitter.</summary>
    public ReconnectBackoff Backoff { get; set; } = new();

    /// <summary>
    /// How long events may wait behind a gap before the connection asks the server again for everything after the
    /// last delivered seq (a safety net: a correct server never leaves a gap). Default 2 seconds.
    /// </summary>
    public TimeSpan GapRepairDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>SignalR server timeout; a silent server is considered gone after this long. Default 30 seconds.</summary>
    public TimeSpan ServerTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the connection pings a quiet server (SignalR's keep-alive). Default 15 seconds.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Attempts of one send while the connection looks healthy, before a non-hub failure is reported. Default 3.</summary>
    public int MaxSendAttemptsWhileConnected { get; set; } = 3;

    /// <summary>The clock of backoff and gap repair. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Where the connection logs. Default none: no logging.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }
}
