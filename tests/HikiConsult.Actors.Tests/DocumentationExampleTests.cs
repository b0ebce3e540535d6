using HikiConsult.Actors.Hosting;
using HikiConsult.Actors.TestKit;
using HikiConsult.Actors.Tests.Grains;

namespace HikiConsult.Actors.Tests;

/// <summary>The test from docs/actors.md ("Testing grains with the test kit").</summary>
public sealed class DocumentationExampleTests
{
    [Fact]
    public async Task Join_persists_before_it_answers()
    {
        await using var host = await TestGrainHost.StartAsync(g => g.AddGrain<RoomGrain>());
        var room = host.GetGrain<IRoomGrain>("room-1");

        Assert.Equal(1, await room.Join("alias-42"));

        Assert.Equal(["alias-42"], host.GetState<RoomState>(room, "room")!.Members);
        await host.AdvanceAsync(TimeSpan.FromMinutes(16));
        Assert.False(host.IsActive(room));
        Assert.Equal(["alias-42"], await room.Members());
    }
}
