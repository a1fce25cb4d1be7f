// What `frame.html` runs inline, before anything else (`widget/build/inline-frame-boot.ts` puts it there).
import { bootFrame } from './frame-boot.ts';

window.paykeyBoot = bootFrame(window);
