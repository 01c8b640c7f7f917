/**
 * The title bar of a page. In the mini-program WeChat draws it (title from the page config, back
 * button from the page stack), so this renders nothing; the H5 build uses page-header.h5.tsx.
 */
export function PageHeader(_props: { title: string }) {
  return null;
}
