// sidepanel entrypoint: mounts the Preact app.
import { render } from 'preact';

render(<main><h1>Kindkluis</h1></main>, document.getElementById('app') as HTMLElement);
