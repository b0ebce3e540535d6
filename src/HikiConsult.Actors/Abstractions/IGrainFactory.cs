namespace HikiConsult.Actors;

/// <summary>Creates references to grains and to local observers.</summary>
public interface IGrainFactory
{
    /// <summary>A reference to the grain with this string key. Cheap: nothing is activated until the first call.</summary>
    TGrainInterface GetGrain<TGrainInterface>(string primaryKey) where TGrainInterface : IGrainWithStringKey;

    /// <summary>A reference to the grain with this Guid key.</summary>
    TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey) where TGrainInterface : IGrainWithGuidKey;

    /// <summary>A reference to the grain with this integer key.</summary>
    TGrainInterface GetGrain<TGrainInterface>(long primaryKey) where TGrainInterface : IGrainWithIntegerKey;

    /// <summary>
    /// Wraps a local object so grains can call it back. Calls to the reference run one at a time,
    /// never on the calling grain's turn. Call <see cref="DeleteObjectReference{TGrainObserverInterface}"/> when done.
    /// </summary>
    TGrainObserverInterface CreateObjectReference<TGrainObserverInterface>(IGrainObserver obj)
        where TGrainObserverInterface : IGrainObserver;

    /// <summary>Detaches an observer: calls through its references fail from now on.</summary>
    void DeleteObjectReference<TGrainObserverInterface>(IGrainObserver obj)
        where TGrainObserverInterface : IGrainObserver;
}
