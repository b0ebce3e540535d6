namespace HikiConsult.Actors.Runtime;

/// <summary>What a storage provider reads into and writes from.</summary>
public interface IGrainState<T>
{
    T State { get; set; }
    string? ETag { get; set; }
    bool RecordExists { get; set; }
}
