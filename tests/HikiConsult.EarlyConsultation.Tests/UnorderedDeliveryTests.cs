using System.Text.Json;
using HikiConsult.Contracts;
using HikiConsult.Grains.EarlyConsultation;
using HikiConsult.Grains.Sessions;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans;

namespace HikiConsult.EarlyConsultation.Tests;

/// <summary>
/// The session grain tells the client's early consultation grain of each event by a one-way call, which Orleans may
/// lose, repeat in effect (a resend after a restart) or deliver in any order. Here the live calls are taken away and
/// the events are delivered reordered, twice and with some lost: the analytics still count each event once.
/// </summary>
public sealed class UnorderedDeliveryTests
{
    [Theory]
    [InlineData(7)]
    [InlineData(11)]
    public async Task The_analytics_count_each_event_once_whatever_order_and_losses_the_calls_have(int seed)
    {
        var captured = new CapturingSink();
        await using var app = new TestServerApp(services: s =>
        {
            s.RemoveAll<ISessionEventSink>();
            s.AddSingleton<ISessionEventSink>(captured);
        }).Start();
        var s = await Scenario.CreateAsync(app);
        var (counselor, device) = await s.JoinBothAsync(app);
        await using (counselor)
        await using (device)
        {
            for (var i = 0; i < 6; i++)
            {
                await device.SendTextAsync(s.Session.Id, $"Client line {i}.");
            }

            for (var i = 0; i < 4; i++)
            {
                await counselor.SendTextAsync(s.Session.Id, $"Counselor line {i}.");
            }

            await counselor.Connection.InvokeAsync<SessionStateDto>(HubMethods.EndSession, s.Session.Id, "Short session.");
        }

        // Every event of the log, shuffled, about a third of them twice, about a fifth lost, the close last (a lost
        // last event is the session's to redeliver when it is activated again, not the analytics').
        var random = new Random(seed);
        var events = captured.Events.Where(e => e.SessionId == s.Session.Id).ToList();
        var close = events[^1];
        var deliveries = events.SkipLast(1).Where(_ => random.Next(5) != 0).ToList();
        deliveries.AddRange(events.Where(_ => random.Next(3) == 0));
        deliveries = [.. deliveries.OrderBy(_ => random.Next())];
        deliveries.Add(close);
        deliveries.Add(close);

        var grain = app.Services.GetRequiredService<IGrainFactory>().GetGrain<IClientEarlyConsultationGrain>(s.Client.Id);
        foreach (var e in deliveries)
        {
            await grain.RecordSessionEvent(e);
        }

        // One-way calls are processed after this method returns, in no promised order relative to the reads below:
        // read until the counts are complete, and never see them pass the truth on the way.
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        (int Attended, int ClientMessages) counts;
        do
        {
            var timeline = await app.GetJsonAsync<JsonElement>($"/api/clients/{s.Client.Id}/timeline", s.Counselor.Token);
            counts = (
                timeline.GetProperty("summary").GetProperty("sessionsAttended").GetInt32(),
                timeline.GetProperty("engagementByWeek").EnumerateArray().Sum(w => w.GetProperty("clientMessages").GetInt32()));
            Assert.InRange(counts.Attended, 0, 1);
            Assert.InRange(counts.ClientMessages, 0, 6);
        }
        while (counts != (1, 6) && await tick.WaitForNextTickAsync(deadline.Token));

        Assert.Equal((1, 6), counts);
    }

    /// <summary>Takes the place of the early consultation sink: keeps every event instead of calling the client's grain.</summary>
    private sealed class CapturingSink : ISessionEventSink
    {
        private readonly List<SessionEventDto> _events = [];

        public IReadOnlyList<SessionEventDto> Events
        {
            get
            {
                lock (_events)
                {
                    return [.. _events];
                }
            }
        }

        public Task OnEventPersistedAsync(PersistedSessionEvent persisted, CancellationToken cancellationToken)
        {
            lock (_events)
            {
                if (!persisted.Redelivered)
                {
                    _events.Add(persisted.Event);
                }
            }

            return Task.CompletedTask;
        }
    }
}
