// The default theme, with the element: `import 'py-cell'` loads it from the site's py-cell folder
// in the browser (the Vite plugin), and is a stand-in during the server render.
import DefaultTheme from 'vitepress/theme';
import 'py-cell';

export default DefaultTheme;
