/** class-validator rule for "host:port" (the `to` query parameter and UDPIX_RECEIVER). */
import { registerDecorator, type ValidationOptions } from 'class-validator';
import { parseReceiverAddress } from './receiver-address';

export function IsReceiverAddress(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isReceiverAddress',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: '$property must be host:port (e.g. 10.0.0.2:5000, receiver:5000 or [::1]:5000)', ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && parseReceiverAddress(value) !== undefined },
    });
  };
}
