import { fireEvent, render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { configureApp } from '../../test/app-env';
import { ProductImage } from './product-image';

const kettle = { name: '电热水壶', imageUrl: '/images/products/kettle.svg' };

describe('ProductImage', () => {
  it('loads a BFF image path from the API base, filled into the tile', () => {
    configureApp({ apiBaseUrl: 'https://bff.example.com' });
    const { container } = render(<ProductImage product={kettle} className='product__image' />);
    const image = container.querySelector('img');
    expect(image?.getAttribute('src')).toBe('https://bff.example.com/images/products/kettle.svg');
    expect(image?.getAttribute('data-mode')).toBe('aspectFill');
    expect(image?.className).toBe('product__image');
  });

  it('falls back to the first-character tile when the image fails to load', () => {
    configureApp({ apiBaseUrl: 'https://bff.example.com' });
    const { container } = render(<ProductImage product={kettle} className='cart-line__image' />);
    fireEvent.error(container.querySelector('img') as HTMLImageElement);
    expect(container.querySelector('img')).toBeNull();
    const tile = container.querySelector('.product__image--placeholder');
    expect(tile?.className).toBe('cart-line__image product__image--placeholder');
    expect(tile?.textContent).toBe('电');
  });

  it('shows the tile for a product without a picture and under a bad configuration', () => {
    configureApp({ apiBaseUrl: 'https://bff.example.com' });
    const none = render(<ProductImage product={{ ...kettle, imageUrl: null }} className='product__image' />);
    expect(none.container.querySelector('img')).toBeNull();
    expect(none.container.textContent).toBe('电');
    none.unmount();

    configureApp({ apiBaseUrl: 'not a url' });
    const misconfigured = render(<ProductImage product={kettle} className='product__image' />);
    expect(misconfigured.container.querySelector('img')).toBeNull();
    expect(misconfigured.container.textContent).toBe('电');
  });
});
