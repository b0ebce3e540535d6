using System.Text.Json;
using HikiConsult.Contracts;
using HikiConsult.Grains.Sessions;
using HikiConsult.Server.Hubs;

namespace HikiConsult.Server.Tests;

/// <summary>What the relay's allocation-saving paths must keep: bodies whole, pushes byte for byte as before.</summary>
public sealed class HotPathSerializationTests
{
    [Fact]
    public void A_body_written_after_one_that_failed_half_way_is_whole()
    {
        Assert.Throws<InvalidOperationException>(() => NormalizedBody.Write(w =>
        {
            w.WriteString("text", "half");
            w.WriteStartArray("open");
            throw new InvalidOperationException("refused half-way");
        }));

        var body = NormalizedBody.Write(w => w.WriteString("text", "whole"));

        Assert.Equal("""{"text":"whole"}""", body.Json);
    }

    [Fact]
    public void Each_body_owns_its_bytes_when_the_writer_is_reused()
    {
        var longText = string.Concat(Enumerable.Repeat("ひきこもり", 800));
        var first = NormalizedBody.Write(w => w.WriteString("text", longText));
        var second = NormalizedBody.Write(w => w.WriteString("text", "short"));

        Assert.Equal(longText, first.Element.GetProperty("text").GetString());
        Assert.Equal("short", second.Element.GetProperty("text").GetString());
        Assert.Equal($$"""{"text":"{{longText}}"}""", first.Json); // non-ASCII kept readable, as stored
    }

    [Fact]
    public void The_session_event_push_is_written_exactly_as_the_default_serializer_writes_it()
    {
        // SignalR's JSON protocol: camelCase and the default encoder (non-ASCII escaped on the wire).
        var defaults = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var handWritten = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        handWritten.Converters.Add(new SessionEventJsonConverter());
        var body = NormalizedBody.Write(w =>
        {
            w.WriteString("text", "こんにちは \"quoted\" \u2028");
            w.WriteNumber("weight", 0.25);
        });
        var sessionEvent = new SessionEventDto(
            "session-1", 42, new DateTimeOffset(2026, 11, 22, 9, 30, 15, 123, TimeSpan.FromHours(9)),
            new SenderDto("user-1", Roles.Counselor, "相談員 A"), EventKinds.Text, body.Element);

        Assert.Equal(JsonSerializer.Serialize(sessionEvent, defaults), JsonSerializer.Serialize(sessionEvent, handWritten));
    }
}
