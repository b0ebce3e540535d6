// Avatar client: the client's side of a session. Pair once, wait calmly, see the counselor as an avatar,
// answer by text or one-tap reactions, fill in a questionnaire when asked. No camera, no microphone.
// state.ts holds the state, store.ts what the browser keeps, connection.ts the server link, speech.ts the voice,
// view.ts the rendering, viewport.ts the fit to the visible screen above an on-screen keyboard.
import '../shared/avatar.css';
import './avatar.css';
import { state, view } from './state';
import { loadInstruments, startDevice } from './connection';
import { fitVisualViewport } from './viewport';
import './view';

fitVisualViewport();
view.render();
if (state.device) {
  void startDevice();
  // Instruments are fetched lazily, but request cards read nicer with the instrument's name.
  void loadInstruments().then(() => view.renderLog(), () => {});
}
